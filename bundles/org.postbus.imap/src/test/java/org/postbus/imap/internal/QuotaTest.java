package org.postbus.imap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** QUOTA (RFC 9208) with a storage limit, and NO [OVERQUOTA] when a message does not fit. */
@Timeout(60)
class QuotaTest {

    @TempDir
    Path dir;

    @Test
    void quotaReportedAndEnforced() throws Exception {
        try (TestServer server = TestServer.start(dir); ImapClient c = server.connect()) {
            server.quota = 4096;
            server.deliver(TestServer.ALICE, "Subject: small\n\n" + "x".repeat(1000) + "\n");
            c.login();
            List<String> root = c.command("q1", "GETQUOTAROOT INBOX");
            assertEquals("* QUOTAROOT INBOX \"\"", root.get(0));
            assertEquals("* QUOTA \"\" (STORAGE 1 4)", root.get(1));
            assertEquals("* QUOTA \"\" (STORAGE 1 4)", c.command("q2", "GETQUOTA \"\"").get(0));
            String big = "Subject: big\r\n\r\n" + "y".repeat(5000);
            c.line("q3 APPEND INBOX {" + big.length() + "+}");
            c.line(big);
            List<String> refused = c.until("q3");
            assertTrue(refused.get(refused.size() - 1).startsWith("q3 NO [OVERQUOTA]"), refused.toString());
            String fits = "Subject: fits\r\n\r\n" + "z".repeat(1000);
            c.line("q4 APPEND INBOX {" + fits.length() + "+}");
            c.line(fits);
            List<String> stored = c.until("q4");
            assertTrue(stored.get(stored.size() - 1).startsWith("q4 OK [APPENDUID"), stored.toString());
        }
    }
}
