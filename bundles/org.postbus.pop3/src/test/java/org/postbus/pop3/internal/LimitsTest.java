package org.postbus.pop3.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Protections: line length, errors, connections, login failures and lockout, timeouts, slow readers. */
@Timeout(60)
class LimitsTest {

    @TempDir
    Path storeRoot;

    /** The test defaults with some values changed. */
    private static UnaryOperator<ListenerSettings> with(int maxPerIp, int maxErrors, int maxAuthFailures,
            Duration delay, int lockoutFailures, Duration commandTimeout, Duration idleTimeout) {
        return s -> new ListenerSettings(s.name(), s.host(), s.port(), false, true, true, 1024, commandTimeout,
                idleTimeout, 500, maxPerIp, 3, maxErrors, maxAuthFailures, delay, lockoutFailures, s.lockoutTime(),
                s.hostname());
    }

    private static UnaryOperator<ListenerSettings> defaults() {
        return s -> s;
    }

    @Test
    void anOverlongLineIsRefusedAndTheSessionGoesOn() throws Exception {
        try (TestServer server = TestServer.start(storeRoot); Pop3Client client = server.connect()) {
            client.line();
            client.send("USER " + "a".repeat(100_000) + "\r\n");
            assertEquals("-ERR Line too long, at most 1024 octets", client.line());
            client.expect("USER alice", "+OK");
            client.expect("PASS secret", "+OK");
            client.expect("QUIT", "+OK");
        }
    }

    @Test
    void tooManyErrorsCloseTheConnection() throws Exception {
        try (TestServer server = TestServer.start(storeRoot, with(20, 3, 3, Duration.ofMillis(50), 10,
                Duration.ofSeconds(300), Duration.ofSeconds(600))); Pop3Client client = server.connect()) {
            client.line();
            client.expect("FROB", "-ERR Unknown command");
            client.expect("FROB", "-ERR Unknown command");
            client.expect("FROB", "-ERR Unknown command");
            assertEquals("-ERR Too many errors, closing connection", client.line());
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void connectionsPerAddressAreLimited() throws Exception {
        try (TestServer server = TestServer.start(storeRoot, with(2, 20, 3, Duration.ofMillis(50), 10,
                Duration.ofSeconds(300), Duration.ofSeconds(600)));
                Pop3Client first = server.connect(); Pop3Client second = server.connect()) {
            first.line();
            second.line();
            try (Pop3Client third = server.connect()) {
                assertEquals("-ERR [SYS/TEMP] Too many connections, try again later", third.line());
                assertTrue(third.closedByServer());
            }
            first.expect("QUIT", "+OK");
            assertTrue(first.closedByServer());
            long deadline = System.currentTimeMillis() + 5000;
            while (server.listener.openConnections() > 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            try (Pop3Client again = server.connect()) {
                assertTrue(again.line().startsWith("+OK"));
            }
        }
    }

    @Test
    void failedLoginsAreDelayedAndLockTheAddressOut() throws Exception {
        try (TestServer server = TestServer.start(storeRoot, with(20, 20, 10, Duration.ofMillis(300), 2,
                Duration.ofSeconds(300), Duration.ofSeconds(600))); Pop3Client client = server.connect()) {
            client.line();
            client.expect("USER alice", "+OK");
            long start = System.nanoTime();
            client.expect("PASS wrong", "-ERR [AUTH] Authentication failed");
            assertTrue(System.nanoTime() - start >= 250_000_000L, "the failure is answered after the delay");
            client.expect("USER bob", "+OK");
            client.expect("PASS wrong", "-ERR [AUTH] Authentication failed");
            // Locked out now, even with the right password, on this and on a new connection.
            client.expect("USER alice", "+OK");
            client.expect("PASS secret", "-ERR [SYS/TEMP] Too many failed logins from your address");
            try (Pop3Client other = server.connect()) {
                other.line();
                other.expect("AUTH PLAIN AGFsaWNlAHNlY3JldA==", "-ERR [SYS/TEMP] Too many failed logins from your address");
            }
        }
    }

    @Test
    void anIdleSessionIsClosedWithoutApplyingItsMarks() throws Exception {
        try (TestServer server = TestServer.start(storeRoot, with(20, 20, 3, Duration.ofMillis(50), 10,
                Duration.ofSeconds(1), Duration.ofSeconds(2))); Pop3Client client = server.connect()) {
            server.rfcExample();
            client.line();
            client.expect("USER alice", "+OK");
            client.expect("PASS secret", "+OK");
            client.expect("DELE 1", "+OK");
            assertEquals("-ERR Disconnected for inactivity", client.line());
            assertTrue(client.closedByServer());
            assertEquals(2, server.inboxSize(TestServer.ALICE));
        }
    }

    @Test
    void aLineThatNeverEndsTimesOut() throws Exception {
        try (TestServer server = TestServer.start(storeRoot, with(20, 20, 3, Duration.ofMillis(50), 10,
                Duration.ofSeconds(1), Duration.ofSeconds(30))); Pop3Client client = server.connect()) {
            client.line();
            client.send("NOO");
            assertEquals("-ERR Disconnected for inactivity", client.line());
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void aLargeMessageIsStreamedWhole() throws Exception {
        try (TestServer server = TestServer.start(storeRoot)) {
            StringBuilder text = new StringBuilder("Subject: big\n\n");
            for (int i = 0; i < 100_000; i++) {
                text.append(i % 7 == 0 ? "." : "").append("line ").append(i).append(" of a big message\n");
            }
            server.deliver(TestServer.ALICE, text.toString());
            try (Pop3Client client = server.connect()) {
                client.line();
                client.expect("USER alice", "+OK");
                client.expect("PASS secret", "+OK");
                String status = client.expect("RETR 1", "+OK ");
                long octets = Long.parseLong(status.split(" ")[1]);
                var lines = client.body();
                assertEquals(100_002, lines.size());
                assertEquals(".line 99995 of a big message", lines.get(99_997));
                long received = lines.stream().mapToLong(line -> line.length() + 2).sum();
                assertEquals(octets, received);
                client.expect("QUIT", "+OK");
            }
        }
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedAndHoldsNoThread() throws Exception {
        try (TestServer server = TestServer.start(storeRoot, with(20, 20, 3, Duration.ofMillis(50), 10,
                Duration.ofSeconds(2), Duration.ofSeconds(600)))) {
            String line = "y".repeat(998) + "\n";
            server.deliver(TestServer.ALICE, "Subject: huge\n\n" + line.repeat(20_000));
            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(4096);
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
                socket.getOutputStream().write("USER alice\r\nPASS secret\r\nRETR 1\r\n".getBytes());
                socket.getOutputStream().flush();
                long opened = System.currentTimeMillis() + 5000;
                while (server.listener.openConnections() == 0 && System.currentTimeMillis() < opened) {
                    Thread.sleep(10);
                }
                assertEquals(1, server.listener.openConnections());
                // Read nothing: the server may queue about a megabyte, then waits, then gives up.
                long start = System.currentTimeMillis();
                long deadline = start + 20_000;
                while (server.listener.openConnections() > 0 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(0, server.listener.openConnections());
                assertTrue(System.currentTimeMillis() - start >= 1500, "closed after the command timeout, not before");
            }
            try (Pop3Client client = server.connect()) {
                assertTrue(client.line().startsWith("+OK"));
            }
        }
    }

    @Test
    void stopTellsConnectedClients() throws Exception {
        TestServer server = TestServer.start(storeRoot, defaults());
        try (Pop3Client client = server.connect()) {
            client.line();
            server.close();
            assertEquals("-ERR [SYS/TEMP] Server shutting down, try again later", client.line());
        }
    }

    @Test
    void aPortInUseLeavesTheListenerDownWithAReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            ListenerSettings d = TestServer.defaults();
            ListenerSettings settings = new ListenerSettings("busy", "127.0.0.1", taken.getLocalPort(), false, true,
                    true, 1024, d.commandTimeout(), d.idleTimeout(), 10, 10, 3, 20, 3, d.authFailureDelay(), 10,
                    d.lockoutTime(), "pop.example.test");
            try (Pop3Listener listener = new Pop3Listener(settings, new TestServices())) {
                assertFalse(listener.start());
                assertFalse(listener.health().up());
                assertTrue(listener.health().detail().contains(":" + taken.getLocalPort()), listener.health().detail());
            }
        }
    }

    @Test
    void junkBytesGetAnswersNotAHang() throws Exception {
        try (TestServer server = TestServer.start(storeRoot); Pop3Client client = server.connect()) {
            client.line();
            byte[] junk = new byte[4000];
            new java.util.Random(7).nextBytes(junk);
            for (int i = 0; i < junk.length; i++) {
                if (junk[i] == '\n') {
                    junk[i] = 'x';
                }
            }
            client.send(junk);
            client.send("\r\n");
            assertTrue(client.line().startsWith("-ERR "));
            client.expect("NOOP", "-ERR Not logged in");
            client.expect("QUIT", "+OK");
        }
    }

    /** No services at all. */
    private static final class TestServices implements Services {
        @Override
        public java.util.Optional<org.postbus.api.directory.Directory> directory() {
            return java.util.Optional.empty();
        }

        @Override
        public java.util.Optional<org.postbus.api.store.MailStore> store() {
            return java.util.Optional.empty();
        }

        @Override
        public java.util.Optional<org.postbus.api.tls.TlsService> tls() {
            return java.util.Optional.empty();
        }
    }

}
