package org.postbus.pop3.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.testkit.Processes;
import org.postbus.testkit.TestTls;

/**
 * fetchmail (the Debian package) retrieves every message over POP3 with STLS, checking the
 * server's certificate, into an MDA, and deletes them: afterwards the INBOX is empty.
 */
@Timeout(120)
class FetchmailTest {

    @TempDir
    Path dir;

    @Test
    void retrievesEverythingOverStlsAndDeletesIt() throws Exception {
        assumeTrue(Processes.installed("fetchmail"), "fetchmail not installed");
        try (TestServer server = TestServer.start(dir.resolve("store"), s -> new ListenerSettings(s.name(), s.host(),
                s.port(), false, true, false, 1024, s.commandTimeout(), s.idleTimeout(), 500, 20, 3, 20, 3,
                s.authFailureDelay(), 10, s.lockoutTime(), s.hostname()))) {
            server.rfcExample();
            for (int i = 1; i <= 25; i++) {
                server.deliver(TestServer.BOB, "From: alice@example.org\nTo: bob@example.org\nSubject: number " + i
                        + "\nMessage-ID: <m" + i + "@example.org>\n\nBody of " + i + "\n.dotted line\n");
            }
            Path home = Files.createDirectories(dir.resolve("home"));
            Path certificate = home.resolve("server.pem");
            Files.writeString(certificate, TestTls.get().certificatePem());
            Path mbox = home.resolve("mbox");
            Path rc = home.resolve("fetchmailrc");
            Files.writeString(rc, "set no syslog\n"
                    + "poll localhost service " + server.port() + " protocol pop3 timeout 20\n"
                    + "  user \"bob@example.org\" there with password \"hunter2\"\n"
                    + "  sslproto 'tls1.2+' sslcertck sslcertfile \"" + certificate + "\"\n"
                    + "  mda \"cat >> " + mbox + "\"\n"
                    + "  nokeep fetchall\n");
            Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
            Processes.Result result = Processes.run(List.of("fetchmail", "-v", "-f", rc.toString(),
                    "--pidfile", home.resolve("pid").toString()), Map.of("HOME", home.toString()), home);
            assertEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().contains("STLS"), result.output());
            String fetched = Files.readString(mbox);
            for (int i = 1; i <= 25; i++) {
                assertTrue(fetched.contains("Subject: number " + i + "\n"), "message " + i + " missing:\n" + fetched);
            }
            assertTrue(fetched.contains("\n.dotted line\n"), "dot-stuffing undone");
            assertEquals(0, server.inboxSize(TestServer.BOB), result.output());
            assertEquals(2, server.inboxSize(TestServer.ALICE));
        }
    }
}
