package org.postbus.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.mail.DsnNotify;
import org.postbus.api.mail.DsnReturn;
import org.postbus.api.mail.Envelope;
import org.postbus.api.mail.EnvelopeRecipient;
import org.postbus.api.mail.MailAddress;

/** DSN (RFC 3461) and REQUIRETLS (RFC 8689) parameters reach the delivery in the transaction's envelope. */
@Timeout(60)
class DsnAndRequireTlsTest {

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
    void rawClientOverStartTls() throws Exception {
        server = TestServer.start(spool);
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            client.expect("STARTTLS", "220");
            client.startTls();
            String ehlo = client.expect("EHLO client.test", "250");
            assertTrue(ehlo.endsWith("\n250-DSN\n250 REQUIRETLS"), ehlo);
            client.expect("MAIL FROM:<sender@remote.test> RET=HDRS ENVID=QQ+2B314 REQUIRETLS SMTPUTF8", "250 2.1.0");
            client.expect("RCPT TO:<alice@example.org> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;Alice+2Bx@example.org",
                    "250 2.1.5");
            client.expect("RCPT TO:<bob@example.org>", "250 2.1.5");
            client.expect("RCPT TO:<alice@example.org> NOTIFY=NEVER", "250 2.1.5");
            client.expect("DATA", "354");
            client.expect("Subject: dsn\r\n\r\nbody\r\n.", "250");
        }
        Envelope envelope = server.delivery.next().envelope();
        assertEquals(new Envelope(Optional.of(MailAddress.parse("sender@remote.test")), List.of(
                new EnvelopeRecipient(MailAddress.parse("alice@example.org"), Set.of(DsnNotify.SUCCESS, DsnNotify.DELAY),
                        Optional.of("rfc822;Alice+x@example.org")),
                EnvelopeRecipient.of(MailAddress.parse("bob@example.org"))),
                Optional.of(DsnReturn.HDRS), Optional.of("QQ+314"), true, true), envelope);
    }

    @Test
    void withoutParametersTheEnvelopeIsPlain() throws Exception {
        server = TestServer.start(spool);
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            client.expect("MAIL FROM:<>", "250");
            client.expect("RCPT TO:<alice@example.org>", "250");
            client.expect("DATA", "354");
            client.expect(".", "250");
        }
        assertEquals(Envelope.of(Optional.empty(), List.of(MailAddress.parse("alice@example.org"))),
                server.delivery.next().envelope());
    }

    @Test
    void angusMailSendsNotifyAndRet() throws Exception {
        server = TestServer.start(spool);
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", String.valueOf(server.port()));
        properties.put("mail.smtp.localhost", "angus.test");
        properties.put("mail.smtp.dsn.notify", "SUCCESS,FAILURE");
        properties.put("mail.smtp.dsn.ret", "FULL");
        Session session = Session.getInstance(properties);
        try (SMTPTransport transport = (SMTPTransport) session.getTransport("smtp")) {
            transport.connect();
            assertTrue(transport.supportsExtension("DSN"));
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress("sender@remote.test"));
            message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress("bob@example.org"));
            message.setSubject("dsn by angus");
            message.setText("hello");
            transport.sendMessage(message, message.getAllRecipients());
        }
        Envelope envelope = server.delivery.next().envelope();
        assertEquals(Optional.of(DsnReturn.FULL), envelope.dsnReturn());
        assertEquals(Set.of(DsnNotify.SUCCESS, DsnNotify.FAILURE), envelope.recipients().get(0).notifyOn());
        assertFalse(envelope.requireTls());
    }

    private static final String SCRIPT = """
            import smtplib, ssl, sys
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            with smtplib.SMTP('127.0.0.1', int(sys.argv[1]), local_hostname='py.test', timeout=10) as s:
                s.ehlo()
                assert s.has_extn('dsn') and not s.has_extn('requiretls')
                code, text = s.mail('a@remote.test', ['REQUIRETLS'])
                print('refused' if code >= 400 else 'accepted', code)
                s.rset()
                s.starttls(context=context)
                s.ehlo()
                assert s.has_extn('requiretls')
                s.sendmail('a@remote.test', ['alice@example.org'], 'Subject: py\\r\\n\\r\\nhi\\r\\n',
                           mail_options=['RET=HDRS', 'ENVID=py+2B1', 'REQUIRETLS'],
                           rcpt_options=['NOTIFY=FAILURE', 'ORCPT=rfc822;alice@example.org'])
            """;

    @Test
    void pythonSmtplibOverStartTls() throws Exception {
        assumeTrue(python(), "python3 is not installed");
        Path script = Files.writeString(spool.resolve("dsn.py"), SCRIPT);
        server = TestServer.start(spool.resolve("spool"));
        Process process = new ProcessBuilder("python3", script.toString(), String.valueOf(server.port()))
                .redirectErrorStream(true).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "python finished");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        assertEquals("refused 530", output.strip());
        Envelope envelope = server.delivery.next().envelope();
        assertEquals(Optional.of(DsnReturn.HDRS), envelope.dsnReturn());
        assertEquals(Optional.of("py+1"), envelope.envelopeId());
        assertTrue(envelope.requireTls());
        assertEquals(new EnvelopeRecipient(MailAddress.parse("alice@example.org"), Set.of(DsnNotify.FAILURE),
                Optional.of("rfc822;alice@example.org")), envelope.recipients().get(0));
    }

    private static boolean python() {
        try {
            Process process = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
