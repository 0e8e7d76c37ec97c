package org.postbus.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.postbus.store.file.internal.Stores.addr;
import static org.postbus.store.file.internal.Stores.mail;
import static org.postbus.store.file.internal.Stores.message;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.UidRange;

/** Thread ids: replies join their parent's thread, in whatever order they arrive. */
class ThreadingTest {

    private static final MailAddress ALICE = addr("alice@example.org");
    private static final MailAddress BOB = addr("bob@example.org");

    @TempDir
    Path dir;

    private Stores stores;
    private Mailbox inbox;

    @BeforeEach
    void open() throws Exception {
        stores = new Stores(dir);
        inbox = stores.store.open(ALICE, "INBOX");
    }

    @AfterEach
    void close() {
        inbox.close();
        stores.close();
    }

    private String thread(String text) throws Exception {
        return inbox.append(message(text)).threadId();
    }

    @Test
    void repliesJoinTheirParentsThread() throws Exception {
        String parent = thread(mail("p1@x", null, null, "start"));
        String reply = thread(mail("r1@x", "p1@x", "<p1@x>", "re"));
        String replyToReply = thread(mail("r2@x", "r1@x", "<p1@x>\r\n <r1@x>", "re re"));
        String onlyInReplyTo = thread(mail("r3@x", "r2@x", null, "re re re"));
        String other = thread(mail("o1@x", null, null, "other"));
        String noIds = thread("Subject: none\r\n\r\nno ids\r\n");
        assertEquals(parent, reply);
        assertEquals(parent, replyToReply);
        assertEquals(parent, onlyInReplyTo);
        assertNotEquals(parent, other);
        assertNotEquals(parent, noIds);
        assertNotEquals(other, noIds);
    }

    @Test
    void aParentArrivingAfterItsReplyJoinsIt() throws Exception {
        String reply = thread(mail("late-r@x", "late-p@x", "<late-p@x>", "re"));
        String parent = thread(mail("late-p@x", null, null, "start"));
        assertEquals(reply, parent);
    }

    @Test
    void threadsAreKeptPerUserAndFollowCopies() throws Exception {
        Map<MailAddress, Long> uids = stores.store.deliver(Map.of(ALICE, "INBOX", BOB, "INBOX"),
                message(mail("shared@x", null, null, "to both")));
        String aliceThread = inbox.messages(UidRange.of(uids.get(ALICE))).findFirst().orElseThrow().threadId();
        try (Mailbox bob = stores.store.open(BOB, "INBOX")) {
            String bobThread = bob.messages(UidRange.ALL).findFirst().orElseThrow().threadId();
            assertNotEquals(aliceThread, bobThread);
            bob.append(message(mail("bob-re@x", "shared@x", null, "re")));
            assertEquals(bobThread, bob.messages(UidRange.of(2)).findFirst().orElseThrow().threadId());
        }
        inbox.copy(List.of(UidRange.ALL), "Archive");
        try (Mailbox archive = stores.store.open(ALICE, "Archive")) {
            assertEquals(aliceThread, archive.messages(UidRange.ALL).findFirst().orElseThrow().threadId());
        }
    }
}
