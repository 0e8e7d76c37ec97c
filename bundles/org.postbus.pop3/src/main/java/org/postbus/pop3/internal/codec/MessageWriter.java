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
        byte[] in = new byte[CHUNK];
        // Room for every byte doubled (a line of dots) plus the terminator.
        byte[] buffer = new byte[2 * CHUNK + CRLF_TERMINATOR.length];
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
        boolean endsWithLineEnd = !any || lineStart;
        if (endsWithLineEnd) {
            return out.write(TERMINATOR, 0, TERMINATOR.length);
        }
        // A last line without its line end: complete it, after any lone CR it ends with.
        int skip = lastCr ? 1 : 0;
        return out.write(CRLF_TERMINATOR, skip, CRLF_TERMINATOR.length - skip);
    }
}
