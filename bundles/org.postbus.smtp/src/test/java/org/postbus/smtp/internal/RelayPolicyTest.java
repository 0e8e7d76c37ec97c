package org.postbus.smtp.internal;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RCPT policy in MTA mode that needs more than a script (conversations/open-relay.smtp has the
 * anonymous cases): authenticated relaying and a missing directory.
 */
@Timeout(30)
class RelayPolicyTest {

    @TempDir
    Path spool;
    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(spool);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void authenticatedClientMayRelay() throws Exception {
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            client.expect("AUTH PLAIN " + TlsAndAuthTest.plain("bob", "hunter2"), "235");
            client.expect("MAIL FROM:<bob@example.org>", "250");
            client.expect("RCPT TO:<friend@remote.test>", "250 2.1.5");
            client.expect("RCPT TO:<nobody@example.org>", "550 5.1.1");
        }
    }

    @Test
    void withoutDirectoryRecipientsAreDeferred() throws Exception {
        server.directoryPresent = false;
        try (SmtpClient client = transaction()) {
            client.expect("RCPT TO:<alice@example.org>", "451 4.3.0");
            server.directoryPresent = true;
            client.expect("RCPT TO:<alice@example.org>", "250 2.1.5");
        }
    }

    private SmtpClient transaction() throws Exception {
        SmtpClient client = server.connect();
        client.reply();
        client.expect("EHLO client.test", "250");
        client.expect("MAIL FROM:<s@remote.test>", "250");
        return client;
    }
}
