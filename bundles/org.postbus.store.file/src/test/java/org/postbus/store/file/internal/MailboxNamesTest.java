package org.postbus.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.postbus.api.store.StoreException;

class MailboxNamesTest {

    @Test
    void inboxIsUpperCasedAsFirstLevelOnly() throws Exception {
        assertEquals("INBOX", MailboxNames.canonical("inbox"));
        assertEquals("INBOX/inbox", MailboxNames.canonical("Inbox/inbox"));
        assertEquals("Inboxes", MailboxNames.canonical("Inboxes"));
        assertEquals("Käse/Übersicht", MailboxNames.canonical("Käse/Übersicht"));
    }

    @Test
    void badNamesAreRefused() {
        for (String bad : new String[] {null, "", "/", "a/", "/a", "a//b", "a*", "%", "tab\there", "x".repeat(1001),
            "a/".repeat(64) + "a"}) {
            StoreException e = assertThrows(StoreException.class, () -> MailboxNames.canonical(bad));
            assertEquals(StoreException.Reason.INVALID_NAME, e.reason());
        }
    }

    @Test
    void hierarchy() {
        assertEquals(List.of("a", "a/b"), MailboxNames.parents("a/b/c"));
        assertEquals(List.of(), MailboxNames.parents("a"));
        assertTrue(MailboxNames.isBelow("a/b", "a"));
        assertFalse(MailboxNames.isBelow("ab", "a"));
        assertFalse(MailboxNames.isBelow("a", "a"));
    }
}
