package org.postbus.imap.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ModifiedUtf7Test {

    @Test
    void rfc3501Examples() {
        assertEquals("~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e",
                ModifiedUtf7.decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-"));
        assertEquals("~peter/mail/&U,BTFw-/&ZeVnLIqe-",
                ModifiedUtf7.encode("~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e"));
        assertEquals("Entw&APw-rfe", ModifiedUtf7.encode("Entwürfe"));
        assertEquals("a&-b", ModifiedUtf7.encode("a&b"));
        assertEquals("a&b", ModifiedUtf7.decode("a&-b"));
    }

    @Test
    void invalidNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("&Jjo"));
        assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("&Jj-"));
        assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("caf\u00e9"));
    }

    @Test
    void nonCanonicalSpellingsAreRefused() {
        // "a" in base64, two runs that should be one, and a base64 "&" instead of "&-"
        assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("a&AGE-"));
        assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("&AOQ-&AOQ-"));
        assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("&ACY-"));
        assertEquals("\u00e4\u00e4", ModifiedUtf7.decode("&AOQA5A-"));
    }
}
