package org.postbus.pop3.internal.codec;

import java.io.IOException;
import java.io.InputStream;

/**
 * Writes a message as a POP3 multi-line response body (RFC 1939 3): a line starting with a dot
 * gets another dot in front, the last line ends with CRLF even if the stored message does not,
 * and the terminating {@code .CRLF} follows. For TOP it stops after the header, the empty line
 * and the requested number of body lines.
 */
public final class MessageWriter {

    /** Chunk size for reading and writing; big enough for throughput, small enough to stream. */
    static final int CHUNK = 64 * 1024;
    private static final int MIN_CHUNK = 1024;
    private static final byte[] TERMINATOR = {'.', '\r', '\n'};
    private static final byte[] CRLF_TERMINATOR = {'\r', '\n', '.', '\r', '\n'};

    private MessageWriter() {
    }

    /**
     * Streams {@code message} to {@code out}.
     *
     * @param bodyLines how many body lines to send after the header and its empty line, or a
     *     negative number for the whole message
     * @return false if {@code out} refused bytes; the response is then incomplete
     */
    public static boolean write(InputStream message, long bodyLines, ByteSink out) throws IOException {
        // Buffers sized to the message (a stored message knows its length): a RETR of a 10 KiB
        // message should not allocate 192 KiB.
        int known = message.available();
        int chunk = known > 0 ? Math.min(CHUNK, Math.max(MIN_CHUNK, known + 1)) : CHUNK;
        byte[] in = new byte[chunk];
        // Room for every byte doubled (a line of dots) plus the terminator.
        byte[] buffer = new byte[2 * chunk + CRLF_TERMINATOR.length];
        if (bodyLines < 0) {
            return writeWhole(message, in, buffer, out);
        }
        boolean lineStart = true;
        boolean lastCr = false;
        boolean inHeader = true;
        boolean emptyLine = true;
        long linesLeft = bodyLines;
        boolean done = false;
        int read;
        boolean any = false;
        outer:
        while ((read = message.read(in)) > 0) {
            int n = 0;
            for (int i = 0; i < read; i++) {
                byte b = in[i];
                any = true;
                if (lineStart && b == '.') {
                    buffer[n++] = '.';
                }
                buffer[n++] = b;
                lastCr = b == '\r';
                if (b == '\n') {
                    lineStart = true;
                    if (bodyLines >= 0) {
                        if (inHeader) {
                            if (emptyLine) {
                                inHeader = false;
                                if (linesLeft == 0) {
                                    done = true;
                                }
                            }
                        } else if (--linesLeft <= 0) {
                            done = true;
                        }
                    }
                    emptyLine = true;
                    if (done) {
                        if (!out.write(buffer, 0, n)) {
                            return false;
                        }
                        break outer;
                    }
                } else {
                    lineStart = false;
                    if (b != '\r') {
                        emptyLine = false;
                    }
                }
            }
            if (!out.write(buffer, 0, n)) {
                return false;
            }
        }
        return terminate(out, !any || lineStart, lastCr);
    }

    /**
     * RETR: the whole message, dot-stuffed. Only the byte after each line feed needs a look; the
     * runs between stuffed dots are copied whole.
     */
    private static boolean writeWhole(InputStream message, byte[] in, byte[] buffer, ByteSink out)
            throws IOException {
        boolean lineStart = true;
        boolean lastCr = false;
        boolean any = false;
        int read;
        while ((read = message.read(in)) > 0) {
            any = true;
            int n = 0;
            int run = 0;
            for (int i = 0; i < read; i++) {
                byte b = in[i];
                if (lineStart && b == '.') {
                    System.arraycopy(in, run, buffer, n, i - run);
                    n += i - run;
                    buffer[n++] = '.';
                    run = i;
                }
                lineStart = b == '\n';
            }
            System.arraycopy(in, run, buffer, n, read - run);
            n += read - run;
            lastCr = in[read - 1] == '\r';
            if (!out.write(buffer, 0, n)) {
                return false;
            }
        }
        return terminate(out, !any || lineStart, lastCr);
    }

    /** The terminating line, completing a last line that lacks its line end (after a lone CR). */
    private static boolean terminate(ByteSink out, boolean endsWithLineEnd, boolean lastCr) {
        if (endsWithLineEnd) {
            return out.write(TERMINATOR, 0, TERMINATOR.length);
        }
        int skip = lastCr ? 1 : 0;
        return out.write(CRLF_TERMINATOR, skip, CRLF_TERMINATOR.length - skip);
    }
}
