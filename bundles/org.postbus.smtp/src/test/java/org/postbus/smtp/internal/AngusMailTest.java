package org.postbus.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.mail.MailAddress;

/** A real client, Angus (Jakarta) Mail's SMTPTransport, against the listener. */
@Timeout(60)
class AngusMailTest {

    @TempDir
    Path spool;
    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void plainSendToALocalUser() throws Exception {
        server = TestServer.start(spool);
        Session session = session(new Properties());
        Transport.send(message(session, "alice@example.org", "plain", "Hello\r\n.dot line\r\n"));
        FakeDelivery.Delivered delivered = server.delivery.next();
        assertEquals(List.of(MailAddress.parse("alice@example.org")), delivered.recipients());
        assertEquals(List.of("plain"), delivered.subject());
        assertTrue(delivered.content().contains("\r\n.dot line\r\n"), delivered.content());
        assertFalse(delivered.secure());
    }

    @Test
    void startTlsThenAuthPlainThenRelay() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(s, "authPlaintextLoopback", false));
        Properties properties = new Properties();
        properties.put("mail.smtp.starttls.enable", "true");
        properties.put("mail.smtp.starttls.required", "true");
        properties.put("mail.smtp.ssl.trust", "*");
        properties.put("mail.smtp.ssl.checkserveridentity", "false");
        properties.put("mail.smtp.auth", "true");
        properties.put("mail.smtp.auth.mechanisms", "PLAIN");
        Session session = session(properties);
        try (SMTPTransport transport = (SMTPTransport) session.getTransport("smtp")) {
            transport.connect("127.0.0.1", server.port(), "alice@example.org", "secret");
            assertTrue(transport.getExtensionParameter("STARTTLS") == null, "EHLO after TLS has no STARTTLS");
            MimeMessage message = message(session, "friend@remote.test", "secure", "over TLS");
            message.setFrom(new InternetAddress("alice@example.org"));
            transport.sendMessage(message, message.getAllRecipients());
        }
        FakeDelivery.Delivered delivered = server.delivery.next();
        assertTrue(delivered.secure());
        assertEquals("alice@example.org", delivered.user().orElseThrow());
        assertTrue(delivered.content().contains(" with ESMTPSA id "), delivered.content());
    }

    @Test
    void authLoginAndWrongPassword() throws Exception {
        server = TestServer.start(spool);
        Properties properties = new Properties();
        properties.put("mail.smtp.auth", "true");
        properties.put("mail.smtp.auth.mechanisms", "LOGIN");
        Session session = session(properties);
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("127.0.0.1", server.port(), "bob@example.org", "hunter2");
        }
        try (Transport transport = session.getTransport("smtp")) {
            MessagingException failure = org.junit.jupiter.api.Assertions.assertThrows(MessagingException.class,
                    () -> transport.connect("127.0.0.1", server.port(), "bob@example.org", "wrong"));
            assertTrue(failure.getMessage().contains("535"), failure.getMessage());
        }
    }

    @Test
    void chunkingSendsWithBdat() throws Exception {
        server = TestServer.start(spool);
        Properties properties = new Properties();
        properties.put("mail.smtp.chunksize", "1000");
        Session session = session(properties);
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        session.setDebugOut(new PrintStream(trace, true, StandardCharsets.UTF_8));
        session.setDebug(true);
        String body = "line of text\r\n".repeat(500);
        Transport.send(message(session, "bob@example.org", "chunks", body));
        FakeDelivery.Delivered delivered = server.delivery.next();
        assertTrue(delivered.content().contains(body), "body intact");
        String conversation = trace.toString(StandardCharsets.UTF_8);
        assertTrue(conversation.contains("BDAT 1000\r\n") || conversation.contains("BDAT 1000\n"), conversation);
        assertTrue(conversation.contains(" LAST"), conversation);
        assertFalse(conversation.contains("\nDATA"), conversation);
    }

    @Test
    void relayRefusalIsReportedToTheClient() throws Exception {
        server = TestServer.start(spool);
        Session session = session(new Properties());
        SendFailedException failure = org.junit.jupiter.api.Assertions.assertThrows(SendFailedException.class,
                () -> Transport.send(message(session, "victim@remote.test", "relay", "no")));
        SMTPAddressFailedException refused = (SMTPAddressFailedException) failure.getNextException();
        assertEquals(554, refused.getReturnCode());
        assertTrue(refused.getMessage().contains("5.7.1"), refused.getMessage());
        assertTrue(server.delivery.delivered.isEmpty());
    }

    private Session session(Properties properties) {
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", String.valueOf(server.port()));
        properties.put("mail.smtp.localhost", "client.test");
        properties.put("mail.smtp.timeout", "10000");
        properties.put("mail.smtp.connectiontimeout", "10000");
        return Session.getInstance(properties);
    }

    private static MimeMessage message(Session session, String to, String subject, String text)
            throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("sender@remote.test"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setText(text);
        return message;
    }
}
