package org.postbus.pop3.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs the conversations in {@code src/test/resources/conversations} (see its README.txt). */
@Timeout(60)
class ScriptedConversationTest {

    @TempDir
    Path storeRoot;

    static Stream<Path> scripts() throws IOException, URISyntaxException {
        Path dir = Path.of(ScriptedConversationTest.class.getResource("/conversations").toURI());
        return Files.list(dir).filter(file -> file.toString().endsWith(".pop3")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void conversation(Path script) throws Exception {
        List<String> lines = Files.readAllLines(script, StandardCharsets.UTF_8);
        boolean plaintext = !lines.contains("@ no-plaintext-login");
        try (TestServer server = TestServer.start(storeRoot, settings -> new ListenerSettings(settings.name(),
                settings.host(), settings.port(), false, true, plaintext, 1024, settings.commandTimeout(),
                settings.idleTimeout(), 500, 20, 3, 50, 3, settings.authFailureDelay(), 10, settings.lockoutTime(),
                settings.hostname()))) {
            if (lines.contains("@ rfc-example")) {
                server.rfcExample();
            }
            try (Pop3Client client = server.connect()) {
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    String where = script.getFileName() + ":" + (i + 1) + ": ";
                    if (line.isBlank() || line.startsWith("#") || line.startsWith("@ ")) {
                        continue;
                    }
                    String text = line.length() > 3 ? line.substring(3) : "";
                    String kind = line.equals("C:") || line.equals("S:") ? line + " " : line.substring(0, Math.min(3, line.length()));
                    switch (kind) {
                        case "C: " -> client.send(unescape(text + "\\r\\n"));
                        case "R: " -> client.send(unescape(text));
                        case "S: " -> {
                            String reply = client.line();
                            assertTrue(reply != null && Pattern.compile(text).matcher(reply).matches(),
                                    where + "expected " + text + ", got " + reply);
                        }
                        case "X:" -> assertTrue(client.closedByServer(), where + "expected the server to close");
                        default -> throw new IllegalArgumentException(where + "unknown line " + line);
                    }
                }
                client.timeout(300);
                String extra;
                try {
                    extra = client.line();
                } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                    extra = null;
                }
                assertEquals(null, extra, script + ": unexpected output after the script");
            }
        }
    }

    static byte[] unescape(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                switch (next) {
                    case 'r' -> out.write('\r');
                    case 'n' -> out.write('\n');
                    case 't' -> out.write('\t');
                    case '0' -> out.write(0);
                    case 'x' -> {
                        out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    default -> out.write(next);
                }
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    @org.junit.jupiter.api.Test
    void escapes() {
        assertEquals("a\r\n\u0000\u00ff", new String(unescape("a\\r\\n\\0\\xff"), StandardCharsets.ISO_8859_1));
    }
}
