package org.postbus.imap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Angus Mail's IMAP client against the server: folders, fetch, flags, append and IDLE. */
@Timeout(120)
class AngusMailTest {

    private static final java.io.ByteArrayOutputStream DEBUG = new java.io.ByteArrayOutputStream();

    @TempDir
    Path dir;

    private static Store connect(TestServer server, boolean tls) throws Exception {
        return connect(server, tls, false);
    }

    private static Store connect(TestServer server, boolean tls, boolean compress) throws Exception {
        Properties p = new Properties();
        if (compress) {
            p.put("mail.imap.compress.enable", "true");
        }
        p.put("mail.imap.host", "127.0.0.1");
        p.put("mail.imap.port", Integer.toString(server.port()));
        p.put("mail.imap.timeout", "20000");
        if (tls) {
            p.put("mail.imap.starttls.enable", "true");
            p.put("mail.imap.starttls.required", "true");
            p.put("mail.imap.ssl.trust", "*");
            p.put("mail.imap.ssl.checkserveridentity", "false");
        }
        Session session = Session.getInstance(p);
        if (compress) {
            session.setDebug(true);
            session.setDebugOut(new java.io.PrintStream(DEBUG, true, java.nio.charset.StandardCharsets.UTF_8));
        }
        Store store = session.getStore("imap");
        store.connect("alice", "secret");
        return store;
    }

    @Test
    void foldersMessagesFlagsAndAppend() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            server.deliver(TestServer.ALICE, "From: Bob <bob@example.org>\nTo: alice@example.org\n"
                    + "Subject: Angus\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nHello Angus\n");
            Store store = connect(server, true);
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_WRITE);
                assertEquals(1, inbox.getMessageCount());
                Message m = inbox.getMessage(1);
                assertEquals("Angus", m.getSubject());
                assertEquals("Bob", ((InternetAddress) m.getFrom()[0]).getPersonal());
                assertEquals("Hello Angus\r\n", m.getContent());
                assertTrue(m.isSet(Flags.Flag.SEEN));
                m.setFlag(Flags.Flag.FLAGGED, true);
                assertTrue(inbox.getMessage(1).isSet(Flags.Flag.FLAGGED));

                Folder work = store.getFolder("Work");
                assertTrue(work.create(Folder.HOLDS_MESSAGES));
                MimeMessage draft = new MimeMessage(Session.getInstance(new Properties()));
                draft.setSubject("Appended by Angus");
                draft.setText("appended body");
                work.appendMessages(new Message[] {draft});
                work.open(Folder.READ_ONLY);
                assertEquals(1, work.getMessageCount());
                assertEquals("Appended by Angus", work.getMessage(1).getSubject());
                work.close(false);
                boolean listed = false;
                for (Folder f : store.getDefaultFolder().list("*")) {
                    listed |= f.getFullName().equals("Work");
                }
                assertTrue(listed);
                inbox.copyMessages(new Message[] {m}, work);
                m.setFlag(Flags.Flag.DELETED, true);
                inbox.close(true);
                inbox.open(Folder.READ_ONLY);
                assertEquals(0, inbox.getMessageCount());
                inbox.close(false);
            } finally {
                store.close();
            }
        }
    }

    @Test
    void compressedSession() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            server.deliver(TestServer.ALICE, "Subject: squeezed\n\n" + "compress me ".repeat(500) + "\n");
            Store store = connect(server, true, true);
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                Message m = inbox.getMessage(1);
                assertEquals("squeezed", m.getSubject());
                assertTrue(((String) m.getContent()).startsWith("compress me compress me"));
                String trace = DEBUG.toString(java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(trace.contains("COMPRESS DEFLATE") && trace.contains("OK DEFLATE active")
                        && trace.contains("STARTTLS"), trace);
                inbox.close(false);
            } finally {
                store.close();
            }
        }
    }

    @Test
    void idleHearsOfDelivery() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Store store = connect(server, false);
            try {
                IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
                inbox.open(Folder.READ_WRITE);
                CountDownLatch added = new CountDownLatch(1);
                inbox.addMessageCountListener(new jakarta.mail.event.MessageCountAdapter() {
                    @Override
                    public void messagesAdded(jakarta.mail.event.MessageCountEvent e) {
                        added.countDown();
                    }
                });
                Thread idler = new Thread(() -> {
                    try {
                        inbox.idle(true);
                    } catch (Exception e) {
                        // The test fails on the latch.
                    }
                });
                idler.start();
                Thread.sleep(500);
                server.deliver(TestServer.ALICE, "Subject: wake up\n\nnew\n");
                // Delivered (durable) now: the idling client must hear of it within a second.
                long start = System.nanoTime();
                assertTrue(added.await(5, TimeUnit.SECONDS), "IDLE did not report the delivery");
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis < 1000, "IDLE took " + millis + " ms");
                idler.join(5000);
                assertEquals(1, inbox.getMessageCount());
            } finally {
                store.close();
            }
        }
    }
}
