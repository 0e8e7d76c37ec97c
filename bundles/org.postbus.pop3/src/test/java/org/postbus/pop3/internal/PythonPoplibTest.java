package org.postbus.pop3.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.testkit.Processes;

/** Python's poplib against the server: plain, STLS and implicit TLS. */
@Timeout(90)
class PythonPoplibTest {

    @TempDir
    Path dir;

    private static final String SCRIPT = """
            import poplib, ssl, sys
            port, mode = int(sys.argv[1]), sys.argv[2]
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            if mode == "ssl":
                p = poplib.POP3_SSL("127.0.0.1", port, context=ctx)
            else:
                p = poplib.POP3("127.0.0.1", port)
            print("welcome", p.getwelcome().decode())
            caps = p.capa()
            print("capa", " ".join(sorted(caps)))
            if mode == "stls":
                p.stls(context=ctx)
            p.user("alice@example.org")
            p.pass_("secret")
            print("stat", *p.stat())
            resp, listing, octets = p.list()
            print("list", *[l.decode() for l in listing])
            resp, uids, octets = p.uidl()
            print("uidl", len(uids))
            resp, lines, octets = p.retr(2)
            print("retr", resp.decode(), octets, "|".join(l.decode() for l in lines[4:7]))
            resp, lines, octets = p.top(1, 1)
            print("top", len(lines), lines[-1].decode())
            print("dele", p.dele(1).decode())
            try:
                p.retr(1)
            except poplib.error_proto as e:
                print("error", e.args[0].decode())
            print("rset", p.rset().decode())
            print("noop", p.noop().decode())
            p.dele(2)
            print("quit", p.quit().decode())
            """;

    private String run(int port, String mode) throws Exception {
        Path script = dir.resolve("client.py");
        Files.writeString(script, SCRIPT);
        Processes.Result result = Processes.run(List.of("python3", script.toString(), Integer.toString(port), mode),
                Map.of(), dir);
        assertEquals(0, result.exitCode(), result.output());
        return result.output();
    }

    private static void check(String output, String... expected) {
        List<String> lines = output.lines().toList();
        for (String line : expected) {
            org.junit.jupiter.api.Assertions.assertTrue(lines.contains(line), "missing '" + line + "' in\n" + output);
        }
    }

    @Test
    void plainAndStls() throws Exception {
        assumeTrue(Processes.installed("python3"), "python3 not installed");
        try (TestServer server = TestServer.start(dir.resolve("store"))) {
            server.rfcExample();
            String output = run(server.port(), "stls");
            check(output, "welcome +OK Postbus POP3 server ready",
                    "capa AUTH-RESP-CODE CAPA IMPLEMENTATION PIPELINING RESP-CODES SASL STLS TOP UIDL USER",
                    "stat 2 320", "list 1 120 2 200", "uidl 2",
                    "retr +OK 200 octets 200 Hello|.hidden dot|..two dots",
                    "top 5 Line one", "dele +OK Message 1 deleted", "error -ERR Message 1 already deleted",
                    "rset +OK Maildrop has 2 messages (320 octets)", "noop +OK",
                    "quit +OK Postbus POP3 server signing off (1 message left)");
            assertEquals(1, server.inboxSize(TestServer.ALICE));
        }
    }

    @Test
    void implicitTls() throws Exception {
        assumeTrue(Processes.installed("python3"), "python3 not installed");
        try (TestServer server = TestServer.start(dir.resolve("store"), s -> new ListenerSettings(s.name(), s.host(),
                s.port(), true, true, false, 1024, s.commandTimeout(), s.idleTimeout(), 500, 20, 3, 20, 3,
                s.authFailureDelay(), 10, s.lockoutTime(), s.hostname()))) {
            server.rfcExample();
            String output = run(server.port(), "ssl");
            check(output, "stat 2 320", "quit +OK Postbus POP3 server signing off (1 message left)");
            assertEquals(1, server.inboxSize(TestServer.ALICE));
        }
    }
}
