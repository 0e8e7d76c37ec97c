package org.postbus.pop3.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.testkit.Processes;
import org.postbus.testkit.TestTls;

/** curl's POP3 URLs (RFC 2384) against the server: LIST, RETR, UIDL, STLS and POP3S. */
@Timeout(90)
class CurlTest {

    @TempDir
    Path dir;

    @BeforeEach
    void curlInstalled() {
        assumeTrue(Processes.installed("curl"), "curl not installed");
    }

    private Processes.Result curl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        command.addAll(List.of(arguments));
        return Processes.run(command, Map.of(), dir);
    }

    @Test
    void listsRetrievesAndListsUniqueIds() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("store"))) {
            server.rfcExample();
            String base = "pop3://127.0.0.1:" + server.port() + "/";
            Processes.Result list = curl("-u", "alice@example.org:secret", base);
            assertEquals(0, list.exitCode(), list.output());
            assertEquals("1 120\r\n2 200\r\n", list.output());

            Processes.Result retr = curl("-u", "alice:secret", base + "2");
            assertEquals(0, retr.exitCode(), retr.output());
            assertTrue(retr.output().startsWith("From: carol@example.org\r\n"), retr.output());
            assertTrue(retr.output().contains("\r\nHello\r\n.hidden dot\r\n..two dots\r\n"), retr.output());
            assertEquals(200, retr.output().length());

            Processes.Result uidl = curl("-u", "alice:secret", "-X", "UIDL", base);
            assertEquals(0, uidl.exitCode(), uidl.output());
            assertTrue(uidl.output().matches("1 [0-9A-F]{16}\r\n2 [0-9A-F]{16}\r\n"), uidl.output());

            Processes.Result wrong = curl("-u", "alice:wrong", base + "1");
            assertEquals(67, wrong.exitCode(), "login denied: " + wrong.output());
        }
    }

    @Test
    void stlsAndImplicitTls() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("store"), s -> new ListenerSettings(s.name(), s.host(),
                s.port(), false, true, false, 1024, s.commandTimeout(), s.idleTimeout(), 500, 20, 3, 20, 3,
                s.authFailureDelay(), 10, s.lockoutTime(), s.hostname()))) {
            server.rfcExample();
            Path certificate = dir.resolve("server.pem");
            Files.writeString(certificate, TestTls.get().certificatePem());
            Processes.Result retr = curl("--ssl-reqd", "--cacert", certificate.toString(), "--resolve",
                    "localhost:" + server.port() + ":127.0.0.1", "-u", "alice:secret",
                    "pop3://localhost:" + server.port() + "/1");
            assertEquals(0, retr.exitCode(), retr.output());
            assertEquals(120, retr.output().length(), retr.output());
        }
        try (TestServer server = TestServer.start(dir.resolve("store2"), s -> new ListenerSettings(s.name(), s.host(),
                s.port(), true, true, false, 1024, s.commandTimeout(), s.idleTimeout(), 500, 20, 3, 20, 3,
                s.authFailureDelay(), 10, s.lockoutTime(), s.hostname()))) {
            server.rfcExample();
            Processes.Result list = curl("-k", "-u", "alice:secret", "pop3s://127.0.0.1:" + server.port() + "/");
            assertEquals(0, list.exitCode(), list.output());
            assertEquals("1 120\r\n2 200\r\n", list.output());
        }
    }
}
