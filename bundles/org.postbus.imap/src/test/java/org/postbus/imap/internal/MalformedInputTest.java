package org.postbus.imap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and truncated commands never break the server: each gets a tagged or untagged BAD or NO
 * with text (never SERVERBUG), and the session answers a NOOP afterwards. A silent client is
 * logged out after the login timeout.
 */
@Timeout(120)
class MalformedInputTest {

    private static final String[] COMMANDS = {"FETCH", "UID FETCH", "STORE", "SEARCH", "UID SEARCH", "LIST",
        "STATUS", "SELECT", "APPEND", "COPY", "MOVE", "SORT", "THREAD", "CREATE", "RENAME", "ENABLE", "ID",
        "EXPUNGE", "UID EXPUNGE", "GETQUOTAROOT", "LSUB", "ESEARCH", "IDLE"};
    private static final String ALPHABET = "()[]<>{}\"\\*%$:,.+-~ 0123456789abcxyzBODYPEEKHEADERFIELDSNOTMIME"
            + "TEXTUIDFLAGSRETURNALLMINMAXCOUNTSAVEORNOTSINCE";

    @TempDir
    Path dir;

    @Test
    void randomArgumentsGetProtocolAnswers() throws Exception {
        try (TestServer server = TestServer.start(dir, s -> new ListenerSettings(s.name(), s.host(), s.port(),
                false, true, true, s.maxLineLength(), s.maxLiteralSize(), false, s.loginTimeout(),
                s.commandTimeout(), s.idleTimeout(), 100, 100, 100, 100_000, Duration.ZERO, 3, 20,
                s.ipLockout())); ImapClient c = server.connect()) {
            server.deliver(TestServer.ALICE, "Subject: fuzz\n\nbody\n");
            c.login();
            c.command("s", "SELECT INBOX");
            Random random = new Random(42);
            for (int i = 0; i < 600; i++) {
                String command = COMMANDS[random.nextInt(COMMANDS.length)];
                StringBuilder args = new StringBuilder();
                int n = random.nextInt(30);
                for (int k = 0; k < n; k++) {
                    args.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
                // A literal marker at the end would make the server wait for its bytes.
                String text = args.toString().replaceAll("\\{[0-9+]*\\}$", "x");
                if (command.equals("IDLE") || command.equals("APPEND")) {
                    text = text.isEmpty() ? "x" : text;
                }
                String tag = "f" + i;
                List<String> lines = c.command(tag, command + " " + text);
                String last = lines.get(lines.size() - 1);
                for (String line : lines) {
                    assertFalse(line.contains("SERVERBUG"), command + " " + text + " -> " + line);
                }
                if (last.startsWith(tag + " +") || lines.stream().anyMatch(l -> l.startsWith("+ "))) {
                    c.line("DONE");
                    c.until(tag);
                }
                assertTrue(last.startsWith(tag + " "), last);
            }
            List<String> noop = c.command("z", "NOOP");
            assertEquals("z OK NOOP completed", noop.get(noop.size() - 1));
        }
    }

    @Test
    void bytesOfEveryValueInACommand() throws Exception {
        try (TestServer server = TestServer.start(dir); ImapClient c = server.connect()) {
            c.login();
            ByteArrayOutputStream junk = new ByteArrayOutputStream();
            junk.writeBytes("j1 LIST \"".getBytes(StandardCharsets.US_ASCII));
            for (int b = 1; b < 256; b++) {
                if (b != '\r' && b != '\n') {
                    junk.write(b);
                }
            }
            junk.writeBytes("\" *\r\n".getBytes(StandardCharsets.US_ASCII));
            c.send(junk.toByteArray());
            String reply = c.until("j1").get(0);
            assertTrue(reply.startsWith("j1 BAD") || reply.startsWith("j1 OK") || reply.startsWith("j1 NO"), reply);
            List<String> noop = c.command("z", "NOOP");
            assertEquals("z OK NOOP completed", noop.get(noop.size() - 1));
        }
    }

    @Test
    void silentClientIsLoggedOut() throws Exception {
        try (TestServer server = TestServer.start(dir, s -> new ListenerSettings(s.name(), s.host(), s.port(),
                false, true, true, s.maxLineLength(), s.maxLiteralSize(), false, Duration.ofSeconds(1),
                s.commandTimeout(), s.idleTimeout(), 100, 100, 100, 50, Duration.ZERO, 3, 20, s.ipLockout()));
                ImapClient c = server.connect()) {
            c.read();
            c.socket().setSoTimeout(15_000);
            String bye = c.read();
            assertTrue(bye.startsWith("* BYE Autologout"), bye);
        }
    }
}
