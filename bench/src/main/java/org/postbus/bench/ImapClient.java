package org.postbus.bench;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A small blocking IMAP client for the load programs: writes tagged commands and reads whole
 * responses, skipping literals by their announced size, so that a FETCH of bodies costs the
 * client a copy into its buffer and nothing more. It keeps only what the benchmarks look at: the
 * last EXISTS count, the last SEARCH result and the tagged status line.
 */
final class ImapClient implements Closeable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf;
    private int pos;
    private int lim;
    private int tagSeq;

    /** Latest {@code * n EXISTS}, or -1 before the first. */
    int exists = -1;
    /** Text of the latest {@code * SEARCH} response (numbers after the keyword), or null. */
    String lastSearch;
    /** The tagged completion line of the latest command. */
    String lastTagged;
    /** Literal octets read so far (bodies, headers): what the server delivered to this client. */
    long literalBytes;

    ImapClient(Socket socket, int bufferSize) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        this.buf = new byte[bufferSize];
    }

    Socket socket() {
        return socket;
    }

    /** Bytes already read from the socket but not yet consumed (kept when the caller takes over). */
    byte[] pending() {
        byte[] b = new byte[lim - pos];
        System.arraycopy(buf, pos, b, 0, b.length);
        return b;
    }

    /** Reads the server greeting; fails unless it is {@code * OK} (or PREAUTH). */
    void greeting() throws IOException {
        String line = readResponse();
        if (!line.startsWith("* OK") && !line.startsWith("* PREAUTH")) {
            throw new ImapException("greeting", line);
        }
    }

    /** Sends one tagged command and reads up to its completion; a NO or BAD throws. */
    String command(String name, String text) throws IOException {
        String tag = nextTag();
        out.write((tag + " " + text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return complete(name, tag);
    }

    /**
     * APPEND with a synchronizing literal (the one form every server must take): waits for the
     * continuation before sending the message. Returns the tagged line (which may carry APPENDUID).
     */
    String append(String mailbox, String flags, byte[] message) throws IOException {
        String tag = nextTag();
        String head = tag + " APPEND " + mailbox + (flags.isEmpty() ? "" : " (" + flags + ")")
                + " {" + message.length + "}\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        while (true) {
            String line = readResponse();
            if (line.startsWith("+")) {
                break;
            }
            if (line.startsWith(tag + " ")) {
                lastTagged = line;
                throw new ImapException("append", line);
            }
            untagged(line);
        }
        out.write(message);
        out.write('\r');
        out.write('\n');
        out.flush();
        return complete("append", tag);
    }

    /** Starts IDLE and returns once the server has sent its continuation. */
    void idle() throws IOException {
        String tag = nextTag();
        out.write((tag + " IDLE\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        while (true) {
            String line = readResponse();
            if (line.startsWith("+")) {
                return;
            }
            if (line.startsWith(tag + " ")) {
                throw new ImapException("idle", line);
            }
            untagged(line);
        }
    }

    private String nextTag() {
        return "a" + (++tagSeq);
    }

    private String complete(String name, String tag) throws IOException {
        String prefix = tag + " ";
        while (true) {
            String line = readResponse();
            if (line.startsWith(prefix)) {
                lastTagged = line;
                if (!line.regionMatches(true, prefix.length(), "OK", 0, 2)) {
                    throw new ImapException(name, line);
                }
                return line;
            }
            if (line.startsWith("+")) {
                throw new ImapException(name, "unexpected continuation: " + line);
            }
            untagged(line);
        }
    }

    private void untagged(String line) {
        if (line.startsWith("* SEARCH")) {
            lastSearch = line.length() > 8 ? line.substring(8).trim() : "";
        } else if (line.endsWith(" EXISTS") && line.startsWith("* ")) {
            int sp = line.indexOf(' ', 2);
            try {
                exists = Integer.parseInt(line.substring(2, sp));
            } catch (NumberFormatException e) {
                // A malformed count is the server's problem; the next SELECT tells again.
            }
        }
    }

    /**
     * Reads one response: a line, and when it ends with a literal announcement {@code {n}}, the
     * n octets and the rest of the response after them. Literal contents are skipped; the text
     * returned keeps the announcements.
     */
    String readResponse() throws IOException {
        String line = readLine();
        if (!line.endsWith("}")) {
            return line;
        }
        StringBuilder sb = new StringBuilder(line);
        while (true) {
            int open = line.lastIndexOf('{');
            if (open < 0 || !line.endsWith("}")) {
                return sb.toString();
            }
            String n = line.substring(open + 1, line.length() - 1);
            if (n.endsWith("+")) {
                n = n.substring(0, n.length() - 1);
            }
            long size;
            try {
                size = Long.parseLong(n);
            } catch (NumberFormatException e) {
                return sb.toString();
            }
            skip(size);
            literalBytes += size;
            line = readLine();
            sb.append(line);
        }
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (pos == lim) {
                fill();
            }
            int step = (int) Math.min(n, lim - pos);
            pos += step;
            n -= step;
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream longLine = null;
        while (true) {
            for (int i = pos; i < lim; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String s;
                    if (longLine == null) {
                        s = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                    } else {
                        longLine.write(buf, pos, i + 1 - pos);
                        byte[] all = longLine.toByteArray();
                        int len = all.length - 1;
                        if (len > 0 && all[len - 1] == '\r') {
                            len--;
                        }
                        s = new String(all, 0, len, StandardCharsets.ISO_8859_1);
                    }
                    pos = i + 1;
                    return s;
                }
            }
            if (lim == buf.length) {
                if (longLine == null) {
                    longLine = new ByteArrayOutputStream();
                }
                longLine.write(buf, pos, lim - pos);
                pos = lim;
            }
            fill();
        }
    }

    private void fill() throws IOException {
        if (pos == lim) {
            pos = 0;
            lim = 0;
        } else if (lim == buf.length) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            throw new EOFException("connection closed by server");
        }
        lim += n;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing after an error: nothing left to report.
        }
    }

    /** A NO, BAD or otherwise unexpected answer, with the command it answered. */
    static final class ImapException extends IOException {
        private static final long serialVersionUID = 1L;

        ImapException(String command, String line) {
            super(command + ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line));
        }
    }
}
