package org.postbus.imap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A message of several megabytes goes in by APPEND (spooled, not in the heap) and comes back whole. */
@Timeout(120)
class LargeMessageTest {

    @TempDir
    Path dir;

    @Test
    void appendAndFetchBack() throws Exception {
        try (TestServer server = TestServer.start(dir); ImapClient c = server.connect()) {
            c.login();
            StringBuilder body = new StringBuilder("Subject: large\r\n\r\n");
            for (int i = 0; body.length() < 3_000_000; i++) {
                body.append("line ").append(i).append(" of a large message\r\n");
            }
            byte[] message = body.toString().getBytes(StandardCharsets.US_ASCII);
            c.line("a1 APPEND INBOX {" + message.length + "}");
            assertTrue(c.read().startsWith("+ "));
            c.send(message);
            c.send("\r\n");
            List<String> appended = c.until("a1");
            assertTrue(appended.get(appended.size() - 1).startsWith("a1 OK [APPENDUID"), appended.toString());
            try (var spool = Files.list(server.spoolDir.resolve(server.settings.name()))) {
                assertEquals(0, spool.filter(f -> f.getFileName().toString().startsWith("literal-")).count(),
                        "no spool file left behind");
            }
            c.command("a2", "SELECT INBOX");
            List<String> size = c.command("a3", "FETCH 1 RFC822.SIZE");
            assertEquals("* 1 FETCH (RFC822.SIZE " + message.length + ")", size.get(0));
            List<String> fetched = c.command("a4", "FETCH 1 BODY.PEEK[]");
            String expected = "* 1 FETCH (BODY[] {" + message.length + "}\r\n" + body + ")";
            assertEquals(expected.length(), fetched.get(0).length());
            assertTrue(fetched.get(0).equals(expected), "the message comes back byte for byte");
            List<String> tail = c.command("a5", "FETCH 1 BODY.PEEK[]<" + (message.length - 10) + ".100>");
            assertEquals("* 1 FETCH (BODY[]<" + (message.length - 10) + "> {10}\r\n" + body.substring(body.length() - 10)
                    + ")", tail.get(0));
        }
    }
}
