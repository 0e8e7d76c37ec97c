package org.postbus.pop3.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.store.Flag;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.UidRange;

/**
 * The UPDATE state against the real store: what QUIT removes, what a lost connection keeps, what
 * an IMAP-style reader of the store sees, and unique-ids across restarts.
 */
@Timeout(60)
class MaildropUpdateTest {

    @TempDir
    Path storeRoot;

    private static void login(Pop3Client client, String user, String password) throws Exception {
        client.expect("USER " + user, "+OK");
        client.expect("PASS " + password, "+OK");
    }

    @Test
    void quitRemovesExactlyTheMarkedMessagesAndOthersSeeThemGone() throws Exception {
        try (TestServer server = TestServer.start(storeRoot)) {
            server.rfcExample();
            long third = server.deliver(TestServer.ALICE, "Subject: third\n\nthree\n");
            try (Mailbox imap = server.store.open(TestServer.ALICE, MailStore.INBOX)) {
                try (Pop3Client client = server.connect()) {
                    client.line();
                    login(client, "alice", "secret");
                    client.expect("DELE 1", "+OK");
                    client.expect("DELE 3", "+OK");
                    // Marks are not applied before QUIT.
                    assertEquals(3, imap.uids().length);
                    client.expect("QUIT", "+OK");
                    assertTrue(client.closedByServer());
                }
                long[] left = imap.uids();
                assertEquals(1, left.length);
                assertFalse(left[0] == third);
            }
            assertEquals(1, server.inboxSize(TestServer.ALICE));
        }
    }

    @Test
    void aLostConnectionOrATimeoutAppliesNoMarks() throws Exception {
        try (TestServer server = TestServer.start(storeRoot)) {
            server.rfcExample();
            try (Pop3Client client = server.connect()) {
                client.line();
                login(client, "alice", "secret");
                client.expect("DELE 1", "+OK");
                client.expect("DELE 2", "+OK");
            }
            waitUntilClosed(server);
            assertEquals(2, server.inboxSize(TestServer.ALICE));
        }
    }

    @Test
    void rsetUnmarksBeforeQuit() throws Exception {
        try (TestServer server = TestServer.start(storeRoot)) {
            server.rfcExample();
            try (Pop3Client client = server.connect()) {
                client.line();
                login(client, "alice", "secret");
                client.expect("DELE 1", "+OK");
                client.expect("RSET", "+OK Maildrop has 2 messages (320 octets)");
                client.expect("QUIT", "+OK Postbus POP3 server signing off (2 messages left)");
            }
            assertEquals(2, server.inboxSize(TestServer.ALICE));
        }
    }

    @Test
    void retrievedMessagesThatStayAreSeenAfterQuit() throws Exception {
        try (TestServer server = TestServer.start(storeRoot)) {
            server.rfcExample();
            try (Pop3Client client = server.connect()) {
                client.line();
                login(client, "alice", "secret");
                client.expect("RETR 2", "+OK");
                client.body();
                client.expect("QUIT", "+OK");
            }
            try (Mailbox inbox = server.store.open(TestServer.ALICE, MailStore.INBOX);
                    var messages = inbox.messages(UidRange.ALL)) {
                List<Boolean> seen = messages.map(m -> m.flags().has(Flag.SEEN)).collect(Collectors.toList());
                assertEquals(List.of(false, true), seen);
            }
        }
    }

    @Test
    void theMaildropIsTheInboxAtLoginAndNewMailWaitsForTheNextSession() throws Exception {
        try (TestServer server = TestServer.start(storeRoot)) {
            server.rfcExample();
            try (Pop3Client client = server.connect()) {
                client.line();
                login(client, "alice", "secret");
                server.deliver(TestServer.ALICE, "Subject: late\n\nlate\n");
                client.expect("STAT", "+OK 2 320");
                client.expect("QUIT", "+OK");
            }
            try (Pop3Client client = server.connect()) {
                client.line();
                login(client, "alice", "secret");
                client.expect("STAT", "+OK 3 ");
                client.expect("QUIT", "+OK");
            }
        }
    }

    @Test
    void concurrentSessionsOfOneUserDoNotCorruptEachOther() throws Exception {
        try (TestServer server = TestServer.start(storeRoot)) {
            server.rfcExample();
            try (Pop3Client first = server.connect(); Pop3Client second = server.connect()) {
                first.line();
                second.line();
                login(first, "alice", "secret");
                login(second, "alice", "secret");
                first.expect("DELE 1", "+OK");
                first.expect("QUIT", "+OK Postbus POP3 server signing off (1 message left)");
                // The second session's snapshot still lists message 1, but it is gone from the store.
                second.expect("STAT", "+OK 2 320");
                second.expect("RETR 1", "-ERR Message 1 was removed by another session");
                second.expect("RETR 2", "+OK 200 octets");
                second.body();
                // Marking what another session removed does no harm.
                second.expect("DELE 1", "+OK");
                second.expect("QUIT", "+OK");
            }
            assertEquals(1, server.inboxSize(TestServer.ALICE));
        }
    }

    @Test
    void moreSessionsOfOneUserThanAllowedGetInUse() throws Exception {
        try (TestServer server = TestServer.start(storeRoot)) {
            Pop3Client[] clients = new Pop3Client[4];
            try {
                for (int i = 0; i < 3; i++) {
                    clients[i] = server.connect();
                    clients[i].line();
                    login(clients[i], "alice", "secret");
                }
                clients[3] = server.connect();
                clients[3].line();
                clients[3].expect("USER alice", "+OK");
                clients[3].expect("PASS secret", "-ERR [IN-USE] ");
                // Another user is not affected.
                login(clients[3], "bob", "hunter2");
                clients[0].expect("QUIT", "+OK");
            } finally {
                for (Pop3Client client : clients) {
                    if (client != null) {
                        client.close();
                    }
                }
            }
            try (Pop3Client again = server.connect()) {
                again.line();
                login(again, "alice", "secret");
            }
        }
    }

    @Test
    void uniqueIdsStayTheSameAcrossSessionsAndStoreRestarts() throws Exception {
        List<String> before;
        List<String> after;
        try (TestServer server = TestServer.start(storeRoot)) {
            server.rfcExample();
            server.deliver(TestServer.ALICE, "Subject: third\n\nthree\n");
            before = uidl(server);
            assertEquals(3, before.size());
            assertEquals(3, before.stream().distinct().count());
            assertEquals(before, uidl(server));
            server.restartStore();
            after = uidl(server);
            assertEquals(before, after);
            // A removed message's id is not reused, and the others keep theirs.
            try (Pop3Client client = server.connect()) {
                client.line();
                login(client, "alice", "secret");
                client.expect("DELE 2", "+OK");
                client.expect("QUIT", "+OK");
            }
            server.restartStore();
            assertEquals(List.of(before.get(0), before.get(2)), uidl(server));
            try (Mailbox inbox = server.store.open(TestServer.ALICE, MailStore.INBOX);
                    var messages = inbox.messages(UidRange.ALL)) {
                long validity = inbox.status().uidValidity();
                List<MessageMeta> metas = messages.toList();
                assertEquals(String.format("%08X%08X", metas.get(0).uid(), validity), before.get(0));
            }
        }
    }

    private static List<String> uidl(TestServer server) throws Exception {
        try (Pop3Client client = server.connect()) {
            client.line();
            login(client, "alice", "secret");
            client.expect("UIDL", "+OK");
            List<String> ids = client.body().stream().map(line -> line.split(" ")[1]).toList();
            client.expect("QUIT", "+OK");
            return ids;
        }
    }

    @Test
    void aMissingStoreIsATemporaryFailureAndServiceResumesWhenItReturns() throws Exception {
        try (TestServer server = TestServer.start(storeRoot)) {
            server.rfcExample();
            server.storePresent = false;
            try (Pop3Client client = server.connect()) {
                client.line();
                client.expect("USER alice", "+OK");
                client.expect("PASS secret", "-ERR [SYS/TEMP] Mail store not available now");
                server.storePresent = true;
                login(client, "alice", "secret");
                client.expect("STAT", "+OK 2 320");
                client.expect("QUIT", "+OK");
            }
            server.directoryPresent = false;
            try (Pop3Client client = server.connect()) {
                client.line();
                client.expect("USER alice", "+OK");
                client.expect("PASS secret", "-ERR [SYS/TEMP] Authentication not available now");
                client.expect("QUIT", "+OK");
            }
        }
    }

    @Test
    void theDirectoryIsNeverCalledOnAnIoThread() throws Exception {
        try (TestServer server = TestServer.start(storeRoot)) {
            try (Pop3Client client = server.connect()) {
                client.line();
                login(client, "alice", "secret");
                client.expect("QUIT", "+OK");
            }
            assertFalse(server.directory.threads.isEmpty());
            assertTrue(server.directory.threads.stream().allMatch(name -> name.startsWith("pop3-test-worker")),
                    server.directory.threads.toString());
        }
    }

    private static void waitUntilClosed(TestServer server) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (server.listener.openConnections() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        // The session releases its maildrop on its last turn, just after the count drops.
        Thread.sleep(100);
    }
}
