package org.postbus.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.smtp.internal.ListenerSettings.AuthLimits;
import org.postbus.smtp.internal.session.AuthThrottle;

/** Failed logins across connections: growing delays, then lockouts per address and per account. */
@Timeout(60)
class AuthThrottleTest {

    @TempDir
    Path spool;
    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-11-28T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void delayDoublesUpToTheMaximumAndLockoutsExpire() throws Exception {
        MovableClock clock = new MovableClock();
        AuthThrottle throttle = new AuthThrottle(new AuthLimits(4, 2, Duration.ofMinutes(10), Duration.ofMinutes(5),
                Duration.ofMillis(350)), Duration.ofMillis(100), clock);
        InetAddress one = InetAddress.getByName("192.0.2.1");
        InetAddress two = InetAddress.getByName("192.0.2.2");
        assertEquals(Duration.ofMillis(100), throttle.failed(one, "alice"));
        assertFalse(throttle.accountLocked("ALICE"));
        assertEquals(Duration.ofMillis(200), throttle.failed(one, null));
        assertEquals(Duration.ofMillis(100), throttle.failed(two, "alice"), "delays are per address");
        assertTrue(throttle.accountLocked("Alice"), "two failures for alice, from any address");
        assertFalse(throttle.addressLocked(one));
        assertEquals(Duration.ofMillis(350), throttle.failed(one, "bob"), "capped");
        assertFalse(throttle.addressLocked(one));
        throttle.failed(one, "carol");
        assertTrue(throttle.addressLocked(one));
        assertFalse(throttle.addressLocked(two));
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertFalse(throttle.addressLocked(one), "the lockout ends");
        assertFalse(throttle.accountLocked("alice"));
        throttle.failed(two, "dave");
        throttle.succeeded("dave");
        throttle.failed(two, "dave");
        assertFalse(throttle.accountLocked("dave"), "a success forgets the account's failures");
    }

    @Test
    void aBareNameAndItsAddressCountAsOneAccount() throws Exception {
        java.util.Map<String, org.postbus.api.mail.MailAddress> names = java.util.Map.of(
                "alice", new org.postbus.api.mail.MailAddress("alice", "example.org"),
                "Alice@Example.org", new org.postbus.api.mail.MailAddress("alice", "example.org"));
        AuthThrottle throttle = new AuthThrottle(new AuthLimits(100, 2, Duration.ofMinutes(10), Duration.ofMinutes(5),
                Duration.ofMillis(350)), Duration.ofMillis(100), new MovableClock(),
                name -> java.util.Optional.ofNullable(names.get(name)));
        InetAddress client = InetAddress.getByName("192.0.2.1");
        throttle.failed(client, "alice");
        assertFalse(throttle.accountLocked("alice@example.org"));
        throttle.failed(client, "Alice@Example.org");
        assertTrue(throttle.accountLocked("alice"), "alice and alice@example.org are one account");
        assertTrue(throttle.accountLocked("alice@example.org"));
        assertFalse(throttle.accountLocked("bob"));
    }

    @Test
    void failuresFromOneAddressLockItAcrossConnections() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(Settings.with(s, "authLimits",
                new AuthLimits(3, 100, Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ofSeconds(2))),
                "authFailureDelay", Duration.ofMillis(100)));
        long[] took = new long[3];
        for (int i = 0; i < 3; i++) {
            try (SmtpClient client = server.connect()) {
                client.reply();
                client.expect("EHLO client.test", "250");
                long start = System.nanoTime();
                client.expect("AUTH PLAIN " + TlsAndAuthTest.plain("user" + i, "wrong"), "535 5.7.8");
                took[i] = System.nanoTime() - start;
            }
        }
        assertTrue(took[0] >= 90_000_000L && took[1] >= 190_000_000L && took[2] >= 390_000_000L,
                "the delay grows: " + java.util.Arrays.toString(took));
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            client.expect("AUTH PLAIN " + TlsAndAuthTest.plain("alice", "secret"), "454 4.7.0");
            client.expect("AUTH SCRAM-SHA-256", "454 4.7.0");
            client.expect("MAIL FROM:<a@b.test>", "250");
        }
        assertEquals(List.of("user0", "user1", "user2"), server.directory.authenticated,
                "a locked address never reaches the directory");
    }

    @Test
    void failuresForOneAccountLockItWhateverTheDirectorySays() throws Exception {
        server = TestServer.start(spool, s -> Settings.with(Settings.with(s, "authLimits",
                new AuthLimits(100, 2, Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ofSeconds(1))),
                "authFailureDelay", Duration.ofMillis(10)));
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            client.expect("AUTH PLAIN " + TlsAndAuthTest.plain("alice", "wrong"), "535 5.7.8");
            client.expect("AUTH PLAIN " + TlsAndAuthTest.plain("ALICE", "wrong"), "535 5.7.8");
        }
        try (SmtpClient client = server.connect()) {
            client.reply();
            client.expect("EHLO client.test", "250");
            client.expect("AUTH PLAIN " + TlsAndAuthTest.plain("alice", "secret"), "454 4.7.0");
            client.expect("AUTH SCRAM-SHA-256 " + TlsAndAuthTest.base64("n,,n=alice,r=abc"), "454 4.7.0");
            client.expect("AUTH PLAIN " + TlsAndAuthTest.plain("bob", "hunter2"), "235 2.7.0");
        }
        assertEquals(List.of("alice", "ALICE", "bob"), server.directory.authenticated);
    }
}
