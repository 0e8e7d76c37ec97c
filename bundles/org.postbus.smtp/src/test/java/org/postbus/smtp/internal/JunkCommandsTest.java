package org.postbus.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The limit on commands that move no mail (Postfix's smtpd_junk_command_limit). */
@Timeout(30)
class JunkCommandsTest {

    @TempDir
    Path spool;
    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void defaultLimitIsAHundred() {
        assertTrue(TestServer.defaults(spool).maxJunkCommands() == 100);
        assertTrue(ListenerSettings.from(TestConfigs.listener(java.util.Map.of()), "x", null).maxJunkCommands() == 100);
    }

    @Test
    void commandsBeforeMailCountAndCloseTheConnection() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(s, "maxJunkCommands", 4));
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            client.expect("HELP", "214");
            client.expect("EHLO again.test", "250");
            client.expect("VRFY alice", "252");
            client.expect("NOOP", "421 4.7.0");
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void junkCountsAfterMailTooButAnAcceptedMessageStartsAfresh() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(s, "maxJunkCommands", 3));
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            client.expect("MAIL FROM:<a@b.test>", "250");
            client.expect("NOOP", "250");
            client.expect("RCPT TO:<alice@example.org>", "250");
            client.expect("DATA", "354");
            client.expect("Subject: x\r\n\r\nbody\r\n.", "250");
            for (int i = 0; i < 3; i++) {
                client.expect("RSET", "250");
            }
            client.expect("MAIL FROM:<a@b.test>", "250");
            client.expect("NOOP", "421 4.7.0");
            assertTrue(client.closedByServer());
        }
    }
}
