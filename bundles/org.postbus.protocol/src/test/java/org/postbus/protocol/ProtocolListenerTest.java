package org.postbus.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postbus.api.health.Health;
import org.postbus.api.tls.TlsService;

/**
 * The shared plumbing under a small line protocol, over real sockets: greeting, pipelined input
 * answered in order, connection limits, a busy port, and a stop that tells the clients.
 */
@Timeout(30)
class ProtocolListenerTest {

    record Settings(String name, String host, int port, boolean implicitTls, int maxConnections,
            int maxConnectionsPerIp) implements ProtocolSettings {

        @Override
        public String healthName() {
            return "echo-" + name;
        }

        @Override
        public String configFile() {
            return "etc/echo-" + name + ".cfg";
        }

        @Override
        public String portVariable() {
            return "";
        }
    }

    private final AtomicInteger released = new AtomicInteger();

    /** Greets, answers each line with {@code +LINE}, says goodbye to QUIT; worker threads only. */
    final class Echo extends ProtocolConnection {

        private final InputBuffer input = new InputBuffer();
        private final LineSplitter lines = new LineSplitter(100);
        private final ByteArrayOutputStream held = new ByteArrayOutputStream();
        private boolean quit;

        Echo(IoSession io, ProtocolSettings settings, Executor workers, ScheduledExecutorService timer) {
            super(io, settings, workers, timer);
        }

        private void send(String line) {
            held.writeBytes((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        protected void greet() {
            send("+HELLO");
        }

        @Override
        protected void handle(byte[] bytes) {
            input.append(bytes);
            resume();
        }

        @Override
        protected void resume() {
            while (!quit) {
                int start = input.position();
                int length = lines.next(input);
                if (length == LineSplitter.NEED_MORE) {
                    return;
                }
                if (length == LineSplitter.TOO_LONG) {
                    send("-TOO LONG");
                    continue;
                }
                String line = new String(input.array(), start, length, StandardCharsets.US_ASCII).strip();
                if (line.equals("QUIT")) {
                    quit = true;
                    send("+BYE");
                    close();
                } else {
                    send("+" + line);
                }
            }
        }

        @Override
        protected boolean parked() {
            return false;
        }

        @Override
        protected void shutdown() {
            send("-SHUTTING DOWN");
            close();
        }

        @Override
        protected void release() {
            released.incrementAndGet();
        }

        @Override
        protected Duration timeout() {
            return Duration.ofMinutes(1);
        }

        @Override
        protected void timedOut() {
            send("-TIMEOUT");
            close();
        }

        @Override
        public void flush() {
            if (held.size() > 0) {
                io().write(IoBuffer.wrap(takeHeld()));
            }
        }

        @Override
        protected byte[] takeHeld() {
            byte[] bytes = held.toByteArray();
            held.reset();
            return bytes;
        }
    }

    private ProtocolListener listener(Settings settings) {
        return new ProtocolListener("ECHO", settings, 1, (workers, timer) -> new ProtocolIoHandler(settings,
                "-TOO MANY\r\n") {
            @Override
            protected ProtocolConnection connect(IoSession io, InetAddress client) {
                return new Echo(io, settings, workers, timer);
            }

            @Override
            protected Optional<TlsService> tls() {
                return Optional.empty();
            }
        }) {
        };
    }

    @Test
    void greetsAndAnswersPipelinedLinesInOrder() throws Exception {
        try (ProtocolListener listener = listener(new Settings("t", "127.0.0.1", 0, false, 10, 10))) {
            assertTrue(listener.start());
            int port = listener.localAddress().getPort();
            assertEquals(Health.up("listening on 127.0.0.1:" + port), listener.health());
            try (Socket socket = new Socket("127.0.0.1", port)) {
                BufferedReader in = reader(socket);
                assertEquals("+HELLO", in.readLine());
                OutputStream out = socket.getOutputStream();
                out.write("A\r\nB\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write(("x".repeat(300) + "\r\nC\r\nQUIT\r\nD\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertEquals("+A", in.readLine());
                assertEquals("+B", in.readLine());
                assertEquals("-TOO LONG", in.readLine());
                assertEquals("+C", in.readLine());
                assertEquals("+BYE", in.readLine());
                assertNull(in.readLine(), "closed after QUIT");
            }
            waitFor(() -> listener.openConnections() == 0 && released.get() == 1);
        }
    }

    @Test
    void refusesAConnectionOverThePerAddressLimitWithTheProtocolsLine() throws Exception {
        try (ProtocolListener listener = listener(new Settings("t", "127.0.0.1", 0, false, 10, 1))) {
            listener.start();
            int port = listener.localAddress().getPort();
            try (Socket first = new Socket("127.0.0.1", port)) {
                assertEquals("+HELLO", reader(first).readLine());
                try (Socket second = new Socket("127.0.0.1", port)) {
                    BufferedReader in = reader(second);
                    assertEquals("-TOO MANY", in.readLine());
                    assertNull(in.readLine());
                }
                assertEquals(1, listener.openConnections());
            }
            waitFor(() -> listener.openConnections() == 0);
        }
    }

    @Test
    void aBusyPortIsReportedDownNotThrown() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                ProtocolListener listener = listener(
                        new Settings("t", "127.0.0.1", busy.getLocalPort(), false, 10, 10))) {
            assertFalse(listener.start());
            assertNull(listener.localAddress());
            assertFalse(listener.health().up());
            assertTrue(listener.health().detail().startsWith("cannot listen on 127.0.0.1:" + busy.getLocalPort()),
                    listener.health().detail());
        }
    }

    @Test
    void closeTellsConnectedClientsAndReleasesTheirSessions() throws Exception {
        ProtocolListener listener = listener(new Settings("t", "127.0.0.1", 0, false, 10, 10));
        listener.start();
        try (Socket socket = new Socket("127.0.0.1", listener.localAddress().getPort())) {
            BufferedReader in = reader(socket);
            assertEquals("+HELLO", in.readLine());
            listener.close();
            assertEquals("-SHUTTING DOWN", in.readLine());
            assertNull(in.readLine());
        }
        assertEquals(Health.down("stopped"), listener.health());
        assertEquals(1, released.get());
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean());
    }
}
