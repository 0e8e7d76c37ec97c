package org.postbus.pop3.internal;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.postbus.testkit.LineClient;

/**
 * A raw POP3 client for scripted conversations and limit tests: sends exactly the bytes a test
 * gives; a command's reply is its status line, and {@link #body()} reads a multi-line response.
 */
final class Pop3Client extends LineClient {

    Pop3Client(int port) throws IOException {
        super(port);
    }

    Pop3Client(Socket socket) throws IOException {
        super(socket);
    }

    /** A client over implicit TLS. */
    static Pop3Client tls(int port) throws Exception {
        return new Pop3Client(implicitTls(port));
    }

    /** Reads the lines of a multi-line response up to its dot, undoing the dot-stuffing. */
    List<String> body() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = line();
            if (line == null) {
                throw new IOException("connection closed in a multi-line response: " + lines);
            }
            if (line.equals(".")) {
                return lines;
            }
            lines.add(line.startsWith(".") ? line.substring(1) : line);
        }
    }
}
