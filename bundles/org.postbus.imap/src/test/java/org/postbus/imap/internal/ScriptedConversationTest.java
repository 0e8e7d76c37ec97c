package org.postbus.imap.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    Path dir;

    static Stream<Path> scripts() throws IOException, URISyntaxException {
        Path folder = Path.of(ScriptedConversationTest.class.getResource("/conversations").toURI());
        return Files.list(folder).filter(file -> file.toString().endsWith(".imap")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void conversation(Path script) throws Exception {
        List<String> lines = Files.readAllLines(script, StandardCharsets.UTF_8);
        List<String> settings = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("!: ")) {
                settings.add(line.substring(3).strip());
            }
        }
        Map<Integer, ImapClient> clients = new HashMap<>();
        Map<String, String> variables = new HashMap<>();
        try (TestServer server = TestServer.start(dir, s -> apply(s, settings))) {
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String where = script.getFileName() + ":" + (i + 1) + ": ";
                if (line.isBlank() || line.startsWith("#") || line.startsWith("!: ")) {
                    continue;
                }
                int colon = line.indexOf(": ");
                if (colon < 1) {
                    colon = line.endsWith(":") ? line.length() - 1 : -1;
                }
                if (colon < 1) {
                    fail(where + "unknown line " + line);
                }
                String kind = line.substring(0, colon);
                String text = colon + 2 <= line.length() ? line.substring(colon + 2) : "";
                int session = 1;
                if (kind.length() == 2 && Character.isDigit(kind.charAt(1))) {
                    session = kind.charAt(1) - '0';
                    kind = kind.substring(0, 1);
                }
                ImapClient client = session(clients, server, session);
                try {
                    step(server, client, kind, substitute(text, variables), where, line, variables);
                } catch (java.net.SocketTimeoutException e) {
                    fail(where + "no answer from the server for " + text);
                }
            }
        } finally {
            for (ImapClient c : clients.values()) {
                c.close();
            }
        }
    }

    private static String substitute(String text, Map<String, String> variables) {
        String out = text;
        for (Map.Entry<String, String> v : variables.entrySet()) {
            out = out.replace("${" + v.getKey() + "}", v.getValue());
        }
        return out;
    }

    private static void remember(Pattern pattern, java.util.regex.Matcher m, Map<String, String> variables) {
        java.util.regex.Matcher names = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(pattern.pattern());
        while (names.find()) {
            variables.put(names.group(1), m.group(names.group(1)));
        }
    }

    private static void step(TestServer server, ImapClient client, String kind, String text, String where,
            String line, Map<String, String> variables) throws Exception {
                switch (kind) {
                    case "C" -> client.line(unescape(text));
                    case "R" -> client.send(unescape(text).getBytes(StandardCharsets.ISO_8859_1));
                    case "S" -> {
                        String reply = client.read();
                        assertNotNull(reply, where + "connection closed, expected " + text);
                        Pattern pattern = Pattern.compile(text, Pattern.DOTALL);
                        java.util.regex.Matcher m = pattern.matcher(reply);
                        assertTrue(m.lookingAt(), where + "expected " + text + "\n got " + reply);
                        remember(pattern, m, variables);
                    }
                    case "U" -> {
                        Pattern expected = Pattern.compile(text, Pattern.DOTALL);
                        List<String> seen = new ArrayList<>();
                        while (true) {
                            String reply = client.read();
                            assertNotNull(reply, where + "connection closed, expected " + text + " after " + seen);
                            java.util.regex.Matcher m = expected.matcher(reply);
                            if (m.lookingAt()) {
                                remember(expected, m, variables);
                                break;
                            }
                            seen.add(reply);
                            assertTrue(seen.size() < 10_000, where + "no line matched " + text);
                        }
                    }
                    case "E" -> {
                        String reply = client.read();
                        assertTrue(reply == null, where + "expected the connection closed, got " + reply);
                    }
                    case "N" -> assertTrue(client.silentFor(Integer.parseInt(text.strip())),
                            where + "expected no output");
                    case "W" -> Thread.sleep(Long.parseLong(text.strip()));
                    case "D" -> server.deliver(TestServer.ALICE, message(text));
                    default -> fail(where + "unknown line " + line);
                }
    }

    private static ImapClient session(Map<Integer, ImapClient> clients, TestServer server, int n) throws Exception {
        ImapClient c = clients.get(n);
        if (c == null) {
            c = server.connect();
            clients.put(n, c);
        }
        return c;
    }

    static String message(String text) throws IOException {
        if (text.startsWith("@")) {
            try (InputStream in = ScriptedConversationTest.class.getResourceAsStream("/messages/" + text.substring(1))) {
                assertNotNull(in, "no message " + text);
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return unescape(text);
    }

    private static ListenerSettings apply(ListenerSettings s, List<String> settings) {
        ListenerSettings out = s;
        for (String setting : settings) {
            String[] kv = setting.split("=", 2);
            String value = kv.length > 1 ? kv[1] : "true";
            out = switch (kv[0]) {
                case "literal.minus" -> new ListenerSettings(out.name(), out.host(), out.port(), out.implicitTls(),
                        out.starttls(), out.authPlaintextLoopback(), out.maxLineLength(), out.maxLiteralSize(),
                        Boolean.parseBoolean(value), out.loginTimeout(), out.commandTimeout(), out.idleTimeout(),
                        out.maxConnections(), out.maxConnectionsPerIp(), out.maxConnectionsPerUser(), out.maxErrors(),
                        out.authFailureDelay(), out.maxAuthFailures(), out.ipLockoutFailures(), out.ipLockout());
                case "max.literal.size" -> new ListenerSettings(out.name(), out.host(), out.port(), out.implicitTls(),
                        out.starttls(), out.authPlaintextLoopback(), out.maxLineLength(), Long.parseLong(value),
                        out.literalMinus(), out.loginTimeout(), out.commandTimeout(), out.idleTimeout(),
                        out.maxConnections(), out.maxConnectionsPerIp(), out.maxConnectionsPerUser(), out.maxErrors(),
                        out.authFailureDelay(), out.maxAuthFailures(), out.ipLockoutFailures(), out.ipLockout());
                case "max.line.length" -> new ListenerSettings(out.name(), out.host(), out.port(), out.implicitTls(),
                        out.starttls(), out.authPlaintextLoopback(), Integer.parseInt(value), out.maxLiteralSize(),
                        out.literalMinus(), out.loginTimeout(), out.commandTimeout(), out.idleTimeout(),
                        out.maxConnections(), out.maxConnectionsPerIp(), out.maxConnectionsPerUser(), out.maxErrors(),
                        out.authFailureDelay(), out.maxAuthFailures(), out.ipLockoutFailures(), out.ipLockout());
                case "auth.plaintext.loopback" -> new ListenerSettings(out.name(), out.host(), out.port(),
                        out.implicitTls(), out.starttls(), Boolean.parseBoolean(value), out.maxLineLength(),
                        out.maxLiteralSize(), out.literalMinus(), out.loginTimeout(), out.commandTimeout(),
                        out.idleTimeout(), out.maxConnections(), out.maxConnectionsPerIp(), out.maxConnectionsPerUser(),
                        out.maxErrors(), out.authFailureDelay(), out.maxAuthFailures(), out.ipLockoutFailures(),
                        out.ipLockout());
                default -> throw new IllegalArgumentException("unknown setting " + setting);
            };
        }
        return out;
    }

    static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                switch (next) {
                    case 'r' -> out.append('\r');
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'x' -> {
                        out.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    case '\\' -> out.append('\\');
                    default -> out.append('\\').append(next);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
