package org.postbus.imap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several sessions edit one mailbox at once (flags, appends, expunges) while deliveries arrive;
 * afterwards every session's view, brought up to date by NOOP, equals the store's.
 */
@Timeout(180)
class ConcurrentSessionsTest {

    private static final Pattern FETCH = Pattern.compile("\\* (\\d+) FETCH \\(UID (\\d+) FLAGS \\(([^)]*)\\)\\)");

    @TempDir
    Path dir;

    @Test
    void sessionsConvergeOnTheStoreState() throws Exception {
        int sessions = 4;
        int rounds = 15;
        try (TestServer server = TestServer.start(dir)) {
            for (int i = 0; i < 20; i++) {
                server.deliver(TestServer.ALICE, "Subject: seed " + i + "\n\nseed\n");
            }
            List<ImapClient> clients = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                ImapClient c = server.connect();
                c.login();
                List<String> select = c.command("s", "SELECT INBOX");
                assertTrue(select.get(select.size() - 1).startsWith("s OK"), select.toString());
                clients.add(c);
            }
            ExecutorService pool = Executors.newFixedThreadPool(sessions + 1);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int i = 0; i < sessions; i++) {
                    ImapClient c = clients.get(i);
                    int me = i;
                    work.add(pool.submit(() -> {
                        for (int r = 0; r < rounds; r++) {
                            String tag = "c" + me + "r" + r;
                            check(c.command(tag + "a", "STORE 1:* +FLAGS ($k" + me + ")"), tag + "a");
                            check(c.command(tag + "b", "APPEND INBOX {12+}\r\nSubject: " + me + "\r\n"), tag + "b");
                            check(c.command(tag + "c", "UID STORE " + (r * sessions + me + 1) + " +FLAGS (\\Deleted)"),
                                    tag + "c");
                            if (r % 3 == me % 3) {
                                check(c.command(tag + "d", "EXPUNGE"), tag + "d");
                            }
                            // Another session may have expunged messages this one still numbers.
                            String fetched = last(c.command(tag + "e", "FETCH 1:* (FLAGS)"));
                            assertTrue(fetched.startsWith(tag + "e OK")
                                    || fetched.startsWith(tag + "e NO [EXPUNGEISSUED]"), fetched);
                        }
                        return null;
                    }));
                }
                work.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        server.deliver(TestServer.ALICE, "Subject: delivered " + r + "\n\nx\n");
                    }
                    return null;
                }));
                for (Future<?> f : work) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            Thread.sleep(300);
            TreeMap<Long, String> truth = null;
            for (ImapClient c : clients) {
                c.command("n", "NOOP");
                List<String> lines = c.command("f", "FETCH 1:* (UID FLAGS)");
                TreeMap<Long, String> view = new TreeMap<>();
                int expectedSeq = 1;
                for (String line : lines) {
                    Matcher m = FETCH.matcher(line);
                    if (m.matches()) {
                        assertEquals(expectedSeq++, Integer.parseInt(m.group(1)), "sequence numbers in order");
                        view.put(Long.parseLong(m.group(2)), m.group(3).replace("\\Recent", "").strip());
                    }
                }
                if (truth == null) {
                    truth = view;
                } else {
                    assertEquals(truth, view, "every session sees the same mailbox");
                }
                c.close();
            }
            try (ImapClient fresh = server.connect()) {
                fresh.login();
                List<String> select = fresh.command("x", "SELECT INBOX");
                assertTrue(select.contains("* " + truth.size() + " EXISTS"), select + " vs " + truth.size());
            }
        }
    }

    @Test
    void everyIdlingSessionHearsOfADeliveryWithinASecond() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            List<ImapClient> idlers = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    ImapClient c = server.connect();
                    c.login();
                    c.command("s", "SELECT INBOX");
                    c.line("i IDLE");
                    assertEquals("+ idling", c.read());
                    idlers.add(c);
                }
                server.deliver(TestServer.ALICE, "Subject: for everyone\n\nhello\n");
                long start = System.nanoTime();
                for (ImapClient c : idlers) {
                    c.socket().setSoTimeout(1000);
                    assertEquals("* 1 EXISTS", c.read());
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis < 1000, "50 idling sessions told in " + millis + " ms");
                int winners = 0;
                for (ImapClient c : idlers) {
                    c.socket().setSoTimeout(10_000);
                    c.line("DONE");
                    // \Recent goes to one session only (IMAP4rev1); the others have no RECENT change.
                    String next = c.read();
                    if (next.equals("* 1 RECENT")) {
                        winners++;
                        next = c.read();
                    }
                    assertEquals("i OK IDLE terminated", next);
                }
                assertEquals(1, winners, "sessions that were told the message is \\Recent");
            } finally {
                for (ImapClient c : idlers) {
                    c.close();
                }
            }
        }
    }

    private static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }

    private static void check(List<String> lines, String tag) {
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith(tag + " OK"), last);
    }
}
