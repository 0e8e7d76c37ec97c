package org.postbus.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
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
@Timeout(30)
class ScriptedConversationTest {

    @TempDir
    Path spool;

    static Stream<Path> scripts() throws IOException, URISyntaxException {
        Path dir = Path.of(ScriptedConversationTest.class.getResource("/conversations").toURI());
        return Files.list(dir).filter(file -> file.toString().endsWith(".smtp")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void conversation(Path script) throws Exception {
        List<String> lines = Files.readAllLines(script);
        try (TestServer server = TestServer.start(spool); SmtpClient client = server.connect()) {
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String where = script.getFileName() + ":" + (i + 1) + ": ";
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String text = line.length() > 3 ? line.substring(3) : "";
                switch (line.substring(0, 3)) {
                    case "C: " -> client.send(unescape(text) + "\r\n");
                    case "R: " -> client.send(unescape(text));
                    case "S: " -> {
                        String reply = client.reply();
                        assertTrue(Pattern.compile(text).matcher(reply).lookingAt(),
                                where + "expected " + text + ", got " + reply);
                    }
                    default -> throw new IllegalArgumentException(where + "unknown line " + line);
                }
            }
        }
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(switch (next) {
                    case 'r' -> '\r';
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
