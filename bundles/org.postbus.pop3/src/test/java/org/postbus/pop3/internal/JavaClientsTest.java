package org.postbus.pop3.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.BufferedReader;
import java.io.Reader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.commons.net.pop3.POP3MessageInfo;
import org.apache.commons.net.pop3.POP3SClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Angus Mail's POP3 provider and Apache commons-net's POP3 clients against the server. */
@Timeout(60)
class JavaClientsTest {

    @TempDir
    Path storeRoot;

    private static TestServer tlsOnly(Path root, boolean implicitTls) throws Exception {
        return TestServer.start(root, s -> new ListenerSettings(s.name(), s.host(), s.port(), implicitTls, true, false,
                1024, s.commandTimeout(), s.idleTimeout(), 500, 20, 3, 20, 3, s.authFailureDelay(), 10,
                s.lockoutTime(), s.hostname()));
    }

    @Test
    void angusMailReadsAndDeletesOverStls() throws Exception {
        try (TestServer server = tlsOnly(storeRoot, false)) {
            server.rfcExample();
            Properties properties = new Properties();
            properties.put("mail.pop3.starttls.enable", "true");
            properties.put("mail.pop3.starttls.required", "true");
            properties.put("mail.pop3.ssl.trust", "*");
            properties.put("mail.pop3.connectiontimeout", "10000");
            properties.put("mail.pop3.timeout", "10000");
            Store store = Session.getInstance(properties).getStore("pop3");
            store.connect("127.0.0.1", server.port(), "alice@example.org", "secret");
            String firstUid;
            try {
                POP3Folder inbox = (POP3Folder) store.getFolder("INBOX");
                inbox.open(Folder.READ_WRITE);
                assertEquals(2, inbox.getMessageCount());
                Message[] messages = inbox.getMessages();
                assertEquals("first", messages[0].getSubject());
                assertEquals("second", messages[1].getSubject());
                assertArrayEquals(new int[] {120, 200}, inbox.getSizes());
                String body = (String) messages[1].getContent();
                assertTrue(body.startsWith("Hello\r\n.hidden dot\r\n..two dots\r\n"), body);
                firstUid = inbox.getUID(messages[0]);
                assertTrue(firstUid.matches("[0-9A-F]{16}"), firstUid);
                messages[0].setFlag(Flags.Flag.DELETED, true);
                inbox.close(true);
            } finally {
                store.close();
            }
            assertEquals(1, server.inboxSize(TestServer.ALICE));
        }
    }

    @Test
    void angusMailOverImplicitTls() throws Exception {
        try (TestServer server = tlsOnly(storeRoot, true)) {
            server.rfcExample();
            Properties properties = new Properties();
            properties.put("mail.pop3s.ssl.trust", "*");
            properties.put("mail.pop3s.timeout", "10000");
            Store store = Session.getInstance(properties).getStore("pop3s");
            store.connect("127.0.0.1", server.port(), "alice", "secret");
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertEquals(2, inbox.getMessageCount());
                assertEquals("second", inbox.getMessage(2).getSubject());
                inbox.close(false);
            } finally {
                store.close();
            }
            assertEquals(2, server.inboxSize(TestServer.ALICE));
        }
    }

    @Test
    void commonsNetOverStls() throws Exception {
        try (TestServer server = tlsOnly(storeRoot, false)) {
            server.rfcExample();
            POP3SClient client = new POP3SClient(false);
            client.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
            client.setDefaultTimeout(10_000);
            client.connect("127.0.0.1", server.port());
            try {
                assertFalse(client.login("alice", "secret"), "no login before TLS");
                assertTrue(client.capa());
                assertTrue(Arrays.asList(client.getReplyStrings()).contains("STLS"));
                assertTrue(client.execTLS());
                assertTrue(client.login("alice", "secret"));
                POP3MessageInfo status = client.status();
                assertEquals(2, status.number);
                assertEquals(320, status.size);
                POP3MessageInfo[] list = client.listMessages();
                assertEquals(2, list.length);
                assertEquals(200, list[1].size);
                POP3MessageInfo[] uids = client.listUniqueIdentifiers();
                assertEquals(2, uids.length);
                assertTrue(uids[0].identifier.matches("[0-9A-F]{16}"));
                assertEquals(uids[1].identifier, client.listUniqueIdentifier(2).identifier);
                List<String> lines = read(client.retrieveMessage(2));
                assertEquals(List.of("Hello", ".hidden dot", "..two dots"), lines.subList(4, 7));
                List<String> top = read(client.retrieveMessageTop(1, 1));
                assertEquals(List.of("From: bob@example.org", "To: alice@example.org", "Subject: first", "",
                        "Line one"), top);
                assertTrue(client.deleteMessage(1));
                assertFalse(client.deleteMessage(1));
                assertTrue(client.getReplyString().startsWith("-ERR Message 1 already deleted"));
                assertTrue(client.reset());
                assertTrue(client.deleteMessage(2));
                assertTrue(client.noop());
                assertTrue(client.logout());
                assertTrue(client.getReplyString().startsWith("+OK Postbus POP3 server signing off (1 message left)"));
            } finally {
                client.disconnect();
            }
            assertEquals(1, server.inboxSize(TestServer.ALICE));
        }
    }

    private static List<String> read(Reader reader) throws Exception {
        assertNotNull(reader);
        try (BufferedReader lines = new BufferedReader(reader)) {
            return lines.lines().toList();
        }
    }
}
