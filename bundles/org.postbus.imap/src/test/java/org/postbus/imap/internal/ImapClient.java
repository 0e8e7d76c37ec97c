package org.postbus.imap.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A raw IMAP client for tests: sends lines, reads response lines whole (a line that announces a
 * literal is read with the literal and the rest of the line, as one string).
 */
final class ImapClient implements AutoCloseable {

    private static final Pattern LITERAL = Pattern.compile("~?\\{(\\d+)\\}$");

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    ImapClient(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    ImapClient(Socket socket) throws IOException {
        use(socket);
    }

    void use(Socket s) throws IOException {
        this.socket = s;
        s.setSoTimeout(10_000);
        this.in = s.getInputStream();
        this.out = s.getOutputStream();
    }

    /** Replaces the streams (after COMPRESS). */
    void streams(InputStream input, OutputStream output) {
        this.in = input;
        this.out = output;
    }

    InputStream input() {
        return in;
    }

    OutputStream output() {
        return out;
    }

    Socket socket() {
        return socket;
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void line(String text) throws IOException {
        send(text + "\r\n");
    }

    /** The next response line, literals included; null at the end of the stream. */
    String read() throws IOException {
        StringBuilder whole = new StringBuilder();
        while (true) {
            String line = rawLine();
            if (line == null) {
                return whole.length() == 0 ? null : whole.toString();
            }
            whole.append(line);
            Matcher m = LITERAL.matcher(line);
            if (!m.find()) {
                return whole.toString();
            }
            int n = Integer.parseInt(m.group(1));
            byte[] data = in.readNBytes(n);
            whole.append("\r\n").append(new String(data, StandardCharsets.UTF_8));
        }
    }

    /** Whether the server sends nothing within {@code millis}. */
    boolean silentFor(int millis) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            pushback = b;
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(old);
        }
    }

    private int pushback = -1;

    private String rawLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b;
            if (pushback >= 0) {
                b = pushback;
                pushback = -1;
            } else {
                b = in.read();
            }
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
    }

    /** Sends a tagged command and returns every line up to and including its tagged reply. */
    List<String> command(String tag, String command) throws IOException {
        line(tag + " " + command);
        return until(tag);
    }

    /** Reads lines up to and including the one tagged {@code tag}. */
    List<String> until(String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = read();
            if (l == null) {
                throw new IOException("connection closed; got " + lines);
            }
            lines.add(l);
            if (l.startsWith(tag + " ")) {
                return lines;
            }
        }
    }

    /** Logs in as alice and returns the tagged reply. */
    String login() throws IOException {
        read();
        List<String> r = command("l1", "LOGIN alice secret");
        return r.get(r.size() - 1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
