package org.postbus.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.delivery.DeliveryService;
import org.postbus.api.directory.Directory;
import org.postbus.api.tls.TlsService;
import org.postbus.smtp.internal.command.CommandTable;
import org.postbus.smtp.internal.session.AuthThrottle;
import org.postbus.smtp.internal.session.Channel;
import org.postbus.smtp.internal.session.SmtpSession;
import org.postbus.testkit.FakeDirectory;

/**
 * What a session handles on the network I/O thread, and where it stops for a worker: never at a
 * directory call, a delivery or the disk.
 */
class NonBlockingStepsTest {

    @TempDir
    Path spool;

    private final FakeDirectory directory = FakeDirectory.exampleOrg();
    private final FakeDelivery delivery = new FakeDelivery();
    private final CommandTable commands = new CommandTable();
    private final Services services = new Services() {
        @Override
        public Optional<Directory> directory() {
            return Optional.of(directory);
        }

        @Override
        public Optional<DeliveryService> delivery() {
            return Optional.of(delivery);
        }

        @Override
        public Optional<TlsService> tls() {
            return Optional.empty();
        }
    };

    /** The replies a session sent, and whether it closed. */
    private static final class Recorder implements Channel {
        final List<String> replies = new ArrayList<>();
        /** How many replies had been sent at the last explicit flush. */
        int flushed;
        boolean closed;

        @Override
        public void flush() {
            flushed = replies.size();
        }

        @Override
        public void send(byte[] reply) {
            replies.add(new String(reply, StandardCharsets.US_ASCII));
        }

        @Override
        public void startTls(SSLContext context, List<String> protocols) {
            throw new AssertionError("no TLS here");
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void later(Duration delay, Runnable step) {
            throw new AssertionError("no delayed step here");
        }

        String last() {
            return replies.get(replies.size() - 1);
        }
    }

    private SmtpSession session(ListenerSettings settings, Recorder channel) {
        return new SmtpSession(settings, services, InetAddress.getLoopbackAddress(), false, channel, commands,
                new AuthThrottle(settings.authLimits(), settings.authFailureDelay(), Clock.systemUTC()));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aTransactionStopsForAWorkerOnlyAtTheDirectoryAndTheDelivery() {
        ListenerSettings settings = TestServer.defaults(spool);
        Recorder first = new Recorder();
        SmtpSession warmUp = session(settings, first);
        // The first EHLO asks the directory for its SASL mechanisms, on a worker.
        Runnable ehlo = warmUp.receivedWithoutBlocking(ascii("EHLO one.test\r\n"));
        assertNotNull(ehlo);
        assertEquals(0, directory.saslAsked.get());
        assertTrue(first.replies.isEmpty());
        ehlo.run();
        assertEquals(1, directory.saslAsked.get());
        assertTrue(first.last().contains("AUTH PLAIN LOGIN SCRAM-SHA-256"), first.last());

        Recorder channel = new Recorder();
        SmtpSession session = session(settings, channel);
        session.greet();
        Runnable rcpt = session.receivedWithoutBlocking(ascii(
                "EHLO two.test\r\nMAIL FROM:<sender@remote.test>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n"));
        assertNotNull(rcpt, "RCPT asks the directory");
        assertEquals(3, channel.replies.size(), channel.replies.toString());
        assertTrue(channel.replies.get(1).contains("AUTH PLAIN LOGIN SCRAM-SHA-256"), "the remembered mechanisms");
        assertTrue(channel.last().startsWith("250 2.1.0"), channel.last());
        assertEquals(1, directory.saslAsked.get());
        assertTrue(directory.threads.isEmpty(), "no directory call before the worker: " + directory.threads);

        rcpt.run();
        session.process();
        assertTrue(channel.replies.get(3).startsWith("250 2.1.5"), channel.replies.toString());
        assertTrue(channel.last().startsWith("354 "), channel.last());

        Runnable deliver = session.receivedWithoutBlocking(ascii("Subject: hi\r\n\r\nbody\r\n.\r\n"));
        assertNotNull(deliver, "the end of the message is delivered on a worker");
        assertTrue(delivery.delivered.isEmpty());
        deliver.run();
        assertEquals(1, delivery.delivered.size());
        assertTrue(channel.last().startsWith("250 2.0.0"), channel.last());
        assertEquals(channel.replies.size(), channel.flushed, "the delivery's reply is sent at once");

        assertNull(session.receivedWithoutBlocking(ascii("QUIT\r\n")));
        assertTrue(channel.last().startsWith("221 2.0.0"), channel.last());
        assertTrue(channel.closed);
    }

    @Test
    void aMessageOutgrowingMemoryGoesToAWorkerBeforeItTouchesTheDisk() throws IOException {
        ListenerSettings settings = Settings.with(TestServer.defaults(spool), "spoolThreshold", 2048);
        Recorder channel = new Recorder();
        SmtpSession session = session(settings, channel);
        session.receivedWithoutBlocking(ascii("HELO one.test\r\nMAIL FROM:<>\r\n")); // no AUTH line: no directory
        Runnable rcpt = session.receivedWithoutBlocking(ascii("RCPT TO:<bob@example.org>\r\n"));
        assertNotNull(rcpt);
        rcpt.run();
        assertNull(session.receivedWithoutBlocking(ascii("DATA\r\n")));
        assertTrue(channel.last().startsWith("354 "), channel.last());

        assertNull(session.receivedWithoutBlocking(ascii("Subject: small so far\r\n\r\n")));
        Runnable rest = session.receivedWithoutBlocking(ascii(("x".repeat(76) + "\r\n").repeat(40)));
        assertNotNull(rest, "3 KiB more would pass the 2 KiB held in memory");
        assertEquals(0, files(), "nothing written yet");
        assertFalse(session.holdsFile());
        rest.run();
        session.process();
        assertTrue(session.holdsFile());
        assertEquals(1, files());

        // Once the message is in a file, even a command that needs nothing else is left to a worker,
        // since its reply may release the file.
        Runnable end = session.receivedWithoutBlocking(ascii(".\r\nQUIT\r\n"));
        assertNotNull(end);
        end.run();
        session.process();
        assertTrue(channel.replies.get(channel.replies.size() - 2).startsWith("250 2.0.0"), channel.replies.toString());
        assertTrue(channel.last().startsWith("221 "), channel.last());
        assertEquals(0, files(), "the spool file is gone with the transaction");
    }

    private long files() throws IOException {
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        try (Stream<Path> list = Files.list(spool)) {
            return list.count();
        }
    }
}
