package org.postbus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The load programs' IMAP reader against a scripted server on a real socket: literals are skipped
 * by size even when they contain what looks like a tagged reply, lines longer than the buffer are
 * read whole, NO fails the command, APPEND waits for the continuation.
 */
class ImapClientTest {

    /** Runs a server that answers each client line with the next scripted reply. */
    private static CompletableFuture<List<String>> serve(ServerSocket ss, String greeting, String... replies) {
        return CompletableFuture.supplyAsync(() -> {
            List<String> got = new ArrayList<>();
            try (Socket s = ss.accept()) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
                out.write(greeting.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                for (String reply : replies) {
                    String line = r.readLine();
                    if (line == null) {
                        break;
                    }
                    got.add(line);
                    out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            } catch (IOException e) {
                got.add("server error " + e);
            }
            return got;
        });
    }

    private static ImapClient connect(ServerSocket ss, int buffer) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
        s.setSoTimeout(5000);
        return new ImapClient(s, buffer);
    }

    @Test
    void literalsAreSkippedBySizeAndLongLinesReadWhole() throws Exception {
        String body = "a2 OK this is inside the literal\r\n* 9 EXISTS\r\n";
        String longSearch = "* SEARCH" + " 12345".repeat(100);
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var server = serve(ss, "* OK ready\r\n",
                    "* 3 EXISTS\r\n* 0 RECENT\r\na1 OK [READ-WRITE] done\r\n",
                    "* 1 FETCH (BODY[] {" + body.length() + "}\r\n" + body + " FLAGS (\\Seen))\r\n"
                            + "* 2 FETCH (BODY[] {0}\r\n)\r\na2 OK fetched\r\n",
                    longSearch + "\r\na3 OK searched\r\n");
            try (ImapClient c = connect(ss, 64)) {
                c.greeting();
                c.command("select", "SELECT INBOX");
                assertEquals(3, c.exists);
                String tagged = c.command("fetch", "FETCH 1:2 (BODY[])");
                assertEquals("a2 OK fetched", tagged);
                assertEquals(3, c.exists, "EXISTS inside a literal is message text, not a response");
                assertEquals(body.length(), c.literalBytes);
                c.command("search", "SEARCH ALL");
                assertEquals(100, c.lastSearch.split(" ").length);
            }
            assertEquals(List.of("a1 SELECT INBOX", "a2 FETCH 1:2 (BODY[])", "a3 SEARCH ALL"),
                    server.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void noFailsTheCommand() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            serve(ss, "* OK ready\r\n", "a1 NO [AUTHENTICATIONFAILED] wrong\r\n");
            try (ImapClient c = connect(ss, 1024)) {
                c.greeting();
                IOException e = assertThrows(IOException.class, () -> c.command("login", "LOGIN u p"));
                assertTrue(e.getMessage().startsWith("login: a1 NO"), e.getMessage());
            }
        }
    }

    @Test
    void appendWaitsForContinuationAndReturnsTheTaggedLine() throws Exception {
        byte[] msg = "Subject: x\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // The message's three lines and the final CRLF arrive as lines after the command line.
            var server = serve(ss, "* OK ready\r\n", "+ go ahead\r\n", "", "", "",
                    "* 4 EXISTS\r\na1 OK [APPENDUID 7 42] appended\r\n");
            try (ImapClient c = connect(ss, 1024)) {
                c.greeting();
                String tagged = c.append("INBOX", "\\Seen", msg);
                assertEquals("a1 OK [APPENDUID 7 42] appended", tagged);
                assertEquals(4, c.exists);
            }
            assertEquals("a1 APPEND INBOX (\\Seen) {" + msg.length + "}", server.get(5, TimeUnit.SECONDS).get(0));
        }
    }

    @Test
    void greetingOtherThanOkFails() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            serve(ss, "* BYE too busy\r\n");
            try (ImapClient c = connect(ss, 1024)) {
                assertThrows(IOException.class, c::greeting);
            }
        }
    }
}
