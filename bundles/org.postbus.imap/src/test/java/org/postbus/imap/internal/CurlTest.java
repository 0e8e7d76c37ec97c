package org.postbus.imap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.testkit.Processes;

/** curl's IMAP URLs (RFC 5092) against the server. */
@Timeout(120)
class CurlTest {

    @TempDir
    Path dir;

    @Test
    void listsFetchesAndSearches() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            server.deliver(TestServer.ALICE, "From: x@example.org\nSubject: curl me\n\nBody for curl\n");
            server.deliver(TestServer.ALICE, "Subject: second\n\nTwo\n");
            String base = "imap://127.0.0.1:" + server.port();
            Processes.Result list = curl(base + "/");
            assertEquals(0, list.exitCode(), list.output());
            assertTrue(list.output().contains("INBOX"), list.output());
            Processes.Result message = curl(base + "/INBOX;UID=1");
            assertEquals(0, message.exitCode(), message.output());
            assertTrue(message.output().contains("Subject: curl me") && message.output().contains("Body for curl"),
                    message.output());
            Processes.Result search = curl(base + "/INBOX", "-X", "UID SEARCH SUBJECT second");
            assertEquals(0, search.exitCode(), search.output());
            assertTrue(search.output().contains("* SEARCH 2"), search.output());
            Processes.Result examine = curl(base + "/INBOX", "-X", "EXAMINE INBOX");
            assertTrue(examine.output().contains("2 EXISTS"), examine.output());
            Processes.Result tls = curl(base + "/INBOX;UID=2", "--ssl-reqd", "-k");
            assertEquals(0, tls.exitCode(), tls.output());
            assertTrue(tls.output().contains("Two"), tls.output());
            Processes.Result wrong = Processes.run(List.of("curl", "-s", "-S", base + "/INBOX;UID=1", "-u",
                    "alice:wrong"), null);
            assertTrue(wrong.exitCode() != 0, wrong.output());
        }
    }

    private static Processes.Result curl(String url, String... more) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-s", "-S", "--max-time", "30", url,
                "-u", "alice:secret"));
        command.addAll(List.of(more));
        return Processes.run(command, null);
    }
}
