package org.postbus.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.mail.MailAddress;

/** Python's smtplib as a second real client: STARTTLS, AUTH, two messages. Skipped without python3. */
@Timeout(60)
class PythonSmtplibTest {

    private static final String SCRIPT = """
            import smtplib, ssl, sys
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            with smtplib.SMTP('127.0.0.1', int(sys.argv[1]), local_hostname='py.test', timeout=10) as s:
                s.ehlo()
                assert s.has_extn('starttls') and s.has_extn('pipelining') and s.has_extn('chunking')
                s.starttls(context=context)
                s.ehlo()
                assert not s.has_extn('starttls')
                s.login('alice@example.org', 'secret')
                s.sendmail('alice@example.org', ['friend@remote.test', 'bob@example.org'],
                           'Subject: from python\\r\\n\\r\\nhello\\r\\n.leading dot\\r\\n')
                try:
                    s.sendmail('alice@example.org', ['nobody@example.org'], 'x')
                    print('accepted unknown user')
                except smtplib.SMTPRecipientsRefused as e:
                    print('refused', e.recipients['nobody@example.org'][0])
            """;

    @TempDir
    Path temp;

    @Test
    void smtplibSendsOverStartTlsWithLogin() throws Exception {
        assumeTrue(python(), "python3 is not installed");
        Path script = Files.writeString(temp.resolve("send.py"), SCRIPT);
        try (TestServer server = TestServer.start(temp.resolve("spool"),
                s -> Settings.with(s, "authPlaintextLoopback", false))) {
            Process process = new ProcessBuilder("python3", script.toString(), String.valueOf(server.port()))
                    .redirectErrorStream(true).start();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "python finished");
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), output);
            assertEquals("refused 550", output.strip());
            FakeDelivery.Delivered message = server.delivery.next();
            assertEquals(List.of(MailAddress.parse("friend@remote.test"), MailAddress.parse("bob@example.org")),
                    message.recipients());
            assertEquals(List.of("from python"), message.subject());
            assertTrue(message.secure());
            assertTrue(message.content().endsWith("\r\nhello\r\n.leading dot\r\n"), message.content());
        }
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
