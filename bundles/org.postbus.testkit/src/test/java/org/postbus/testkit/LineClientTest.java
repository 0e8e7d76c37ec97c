package org.postbus.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The line client against a scripted peer on loopback. */
@Timeout(30)
class LineClientTest {

    /** Accepts one connection and plays {@code script} on it. */
    private interface Script {
        void play(Socket socket) throws IOException;
    }

    private static CompletableFuture<Void> serve(ServerSocket server, Script script) {
        return CompletableFuture.runAsync(() -> {
            try (Socket socket = server.accept()) {
                script.play(socket);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static ServerSocket loopback() throws IOException {
        return new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void readsCrlfLinesAndChecksReplies() throws Exception {
        try (ServerSocket server = loopback()) {
            CompletableFuture<Void> peer = serve(server, socket -> {
                OutputStream out = socket.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8));
                out.write("+OK hello\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write(("+OK got " + in.readLine() + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(("-ERR got " + in.readLine() + "\r\na\nb\r\n").getBytes(StandardCharsets.US_ASCII));
            });
            try (LineClient client = new LineClient(server.getLocalPort())) {
                assertEquals("+OK hello", client.line());
                assertEquals("+OK got NOOP", client.expect("NOOP", "+OK"));
                AssertionError wrong = assertThrows(AssertionError.class, () -> client.expect("QUIT", "+OK"));
                assertTrue(wrong.getMessage().contains("QUIT -> -ERR got QUIT"), wrong.getMessage());
                assertEquals("a\nb", client.line(), "a bare LF does not end a line");
                peer.get(10, TimeUnit.SECONDS);
                assertNull(client.line());
                assertTrue(client.closedByServer());
            }
        }
    }

    @Test
    void plainTextAfterTheGoAheadFailsStartTls() throws Exception {
        try (ServerSocket server = loopback()) {
            CompletableFuture<Void> peer = serve(server, socket -> {
                socket.getOutputStream().write("+OK go ahead\r\n+OK injected\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.getInputStream().read();
            });
            try (LineClient client = new LineClient(server.getLocalPort())) {
                assertEquals("+OK go ahead", client.line());
                // Both lines came in one write on loopback, so the second one waits in the read buffer.
                IOException refused = assertThrows(IOException.class, client::startTls);
                assertTrue(refused.getMessage().contains("plain text"), refused.getMessage());
            }
            peer.get(10, TimeUnit.SECONDS);
        }
    }
}
