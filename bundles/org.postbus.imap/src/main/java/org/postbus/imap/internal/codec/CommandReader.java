package org.postbus.imap.internal.codec;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits the client's bytes into commands (RFC 9051 section 2.2): lines ended by CRLF (a bare LF
 * is taken as well), with literals {@code {n}}, {@code {n+}} and {@code ~{n}} inside. Enforces
 * the line and literal limits; an oversized line or literal is skipped and reported, so that the
 * session answers and goes on. Not thread-safe: one session's worker uses it.
 */
public final class CommandReader {

    /** Literals larger than this go to a spool file rather than the heap. */
    public static final int SPOOL_THRESHOLD = 256 * 1024;

    /** RFC 7888: with LITERAL-, a non-synchronising literal is at most this large. */
    public static final int LITERAL_MINUS_LIMIT = 4096;

    private enum State { LINE, LITERAL, SKIP_LITERAL, DISCARD_LINE }

    private final int maxLineLength;
    private final long maxCommandLiteral;
    private final long maxAppendLiteral;
    private final boolean literalMinus;

    private byte[] buffer = new byte[0];
    private int start;
    private int end;
    private int scanned;

    private State state = State.LINE;
    private boolean rawLine;
    private ByteArrayOutputStream text;
    private final List<Literal> literals = new ArrayList<>();
    private byte[] literal;
    private long literalFilled;
    private long literalSize;
    private final Path spoolDir;
    private Path spoolFile;
    private OutputStream spool;
    private long skipRemaining;
    private Input afterSkip;
    private String discardTag;
    private long commandSize;

    /**
     * @param maxLineLength the longest line, and the largest literal outside APPEND
     * @param maxAppendLiteral the largest APPEND literal (APPENDLIMIT)
     * @param literalMinus whether non-synchronising literals above 4096 bytes are refused
     */
    public CommandReader(int maxLineLength, long maxAppendLiteral, boolean literalMinus) {
        this(maxLineLength, maxAppendLiteral, literalMinus, null);
    }

    /**
     * @param spoolDir where literals above {@link #SPOOL_THRESHOLD} bytes are written; null keeps
     *     every literal in memory
     */
    public CommandReader(int maxLineLength, long maxAppendLiteral, boolean literalMinus, Path spoolDir) {
        this.spoolDir = spoolDir;
        this.maxLineLength = maxLineLength;
        this.maxCommandLiteral = maxLineLength;
        this.maxAppendLiteral = maxAppendLiteral;
        this.literalMinus = literalMinus;
    }

    /** Adds received bytes. */
    public void feed(byte[] bytes) {
        if (bytes.length == 0) {
            return;
        }
        if (start > 0 && start == end) {
            start = 0;
            end = 0;
            scanned = 0;
        }
        if (end + bytes.length > buffer.length) {
            int live = end - start;
            int capacity = Math.max(live + bytes.length, Math.min(buffer.length * 2, live + bytes.length + 65536));
            byte[] grown = capacity <= buffer.length ? buffer : new byte[capacity];
            System.arraycopy(buffer, start, grown, 0, live);
            scanned -= start;
            buffer = grown;
            start = 0;
            end = live;
        }
        System.arraycopy(bytes, 0, buffer, end, bytes.length);
        end += bytes.length;
    }

    /** Whether unconsumed bytes are buffered. */
    public boolean hasBuffered() {
        return end > start;
    }

    /** The next line is to be read raw, without literals (a SASL response, DONE). */
    public void expectRawLine() {
        rawLine = true;
    }

    /** Forgets buffered input (after STARTTLS, bytes sent before TLS must not count). */
    public void discard() {
        start = 0;
        end = 0;
        scanned = 0;
        buffer = new byte[0];
        resetCommand();
        state = State.LINE;
        rawLine = false;
    }

    /** Whether a command has started but not finished (for the command timeout). */
    public boolean midCommand() {
        return text != null || state != State.LINE || end > start;
    }

    /** The next input, or null when more bytes are needed. */
    public Input next() {
        while (true) {
            switch (state) {
                case LITERAL -> {
                    int n = (int) Math.min(literalSize - literalFilled, end - start);
                    if (spool != null) {
                        try {
                            spool.write(buffer, start, n);
                        } catch (IOException e) {
                            return spoolFailed(e, n);
                        }
                    } else {
                        if (literalFilled + n > literal.length) {
                            literal = Arrays.copyOf(literal,
                                    (int) Math.min(literalSize, Math.max(literalFilled + n, 2L * literal.length)));
                        }
                        System.arraycopy(buffer, start, literal, (int) literalFilled, n);
                    }
                    literalFilled += n;
                    start += n;
                    scanned = start;
                    if (literalFilled < literalSize) {
                        return null;
                    }
                    if (spool != null) {
                        try {
                            spool.close();
                        } catch (IOException e) {
                            return spoolFailed(e, 0);
                        }
                        literals.add(Literal.spooled(spoolFile, literalSize));
                        spool = null;
                        spoolFile = null;
                    } else {
                        literals.add(Literal.of(literal));
                    }
                    literal = null;
                    state = State.LINE;
                }
                case SKIP_LITERAL -> {
                    long n = Math.min(skipRemaining, end - start);
                    start += (int) n;
                    scanned = start;
                    skipRemaining -= n;
                    if (skipRemaining > 0) {
                        return null;
                    }
                    state = State.DISCARD_LINE;
                }
                case DISCARD_LINE -> {
                    int lf = indexOfLf();
                    if (lf < 0) {
                        start = end;
                        scanned = end;
                        return null;
                    }
                    start = lf + 1;
                    scanned = start;
                    state = State.LINE;
                    Input report = afterSkip;
                    afterSkip = null;
                    if (report != null) {
                        return report;
                    }
                }
                case LINE -> {
                    Input input = line();
                    if (input == null && state == State.LINE && start == end && buffer.length > 4096) {
                        // An idle session keeps no large buffer (10,000 of them wait in IDLE).
                        buffer = new byte[0];
                        start = 0;
                        end = 0;
                        scanned = 0;
                    }
                    if (input != null || state == State.LINE) {
                        return input;
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    private Input line() {
        int lf = indexOfLf();
        if (lf < 0) {
            scanned = end;
            if (end - start > maxLineLength) {
                String tag = tagOf(buffer, start, end, text);
                resetCommand();
                rawLine = false;
                afterSkip = new Input.TooLong(tag);
                state = State.DISCARD_LINE;
                start = end;
                scanned = end;
            }
            return null;
        }
        int lineEnd = lf > start && buffer[lf - 1] == '\r' ? lf - 1 : lf;
        int from = start;
        start = lf + 1;
        scanned = start;
        if (lineEnd - from > maxLineLength) {
            String tag = tagOf(buffer, from, lineEnd, text);
            resetCommand();
            rawLine = false;
            return new Input.TooLong(tag);
        }
        if (rawLine) {
            rawLine = false;
            byte[] line = new byte[lineEnd - from];
            System.arraycopy(buffer, from, line, 0, line.length);
            return new Input.Line(line);
        }
        if (text == null) {
            text = new ByteArrayOutputStream(Math.min(256, lineEnd - from + 16));
            commandSize = 0;
        }
        text.write(buffer, from, lineEnd - from);
        commandSize += lineEnd - from;
        long[] marker = literalMarker(buffer, from, lineEnd);
        if (marker == null) {
            RawCommand command = new RawCommand(text.toByteArray(), List.copyOf(literals));
            // The command now owns its literals (and their spool files).
            literals.clear();
            resetCommand();
            return new Input.Command(command);
        }
        long size = marker[0];
        boolean synchronising = marker[1] == 0;
        byte[] soFar = text.toByteArray();
        boolean append = isAppend(soFar);
        long limit = append ? maxAppendLiteral : maxCommandLiteral;
        boolean tooBig = size > limit || (!append && commandSize + size > 2L * maxLineLength)
                || (!synchronising && literalMinus && size > LITERAL_MINUS_LIMIT);
        if (tooBig) {
            String tag = tagOf(soFar, 0, soFar.length, null);
            resetCommand();
            Input.LiteralTooBig report = new Input.LiteralTooBig(tag, size, synchronising, append);
            if (synchronising) {
                return report;
            }
            afterSkip = report;
            skipRemaining = size;
            state = State.SKIP_LITERAL;
            return null;
        }
        commandSize += size;
        // A literal's buffer grows with what arrives, so a client cannot make us allocate by announcing.
        literalSize = size;
        literalFilled = 0;
        literal = null;
        if (spoolDir != null && size > SPOOL_THRESHOLD) {
            try {
                Files.createDirectories(spoolDir);
                spoolFile = Files.createTempFile(spoolDir, "literal-", ".tmp");
                spool = new BufferedOutputStream(Files.newOutputStream(spoolFile), 65536);
            } catch (IOException e) {
                spoolFile = null;
                spool = null;
            }
        }
        if (spool == null) {
            literal = new byte[(int) Math.min(size, 65536)];
        }
        state = State.LITERAL;
        return synchronising ? new Input.Continue(size) : null;
    }

    private void resetCommand() {
        text = null;
        for (Literal l : literals) {
            l.release();
        }
        literals.clear();
        literal = null;
        closeSpool();
        commandSize = 0;
    }

    private void closeSpool() {
        if (spool != null) {
            try {
                spool.close();
            } catch (IOException e) {
                // Deleted below anyway.
            }
            spool = null;
        }
        if (spoolFile != null) {
            try {
                Files.deleteIfExists(spoolFile);
            } catch (IOException e) {
                // Nothing more to do.
            }
            spoolFile = null;
        }
    }

    /** The spool file could not be written: skip the rest of the command and say so. */
    private Input spoolFailed(IOException e, int consumed) {
        long left = literalSize - literalFilled - consumed;
        start += consumed;
        scanned = start;
        String tag = text == null ? "*" : tagOf(text.toByteArray(), 0, text.size(), null);
        resetCommand();
        afterSkip = new Input.Failed(tag, "NO [UNAVAILABLE] Cannot hold the message now: " + e.getMessage());
        skipRemaining = left;
        state = State.SKIP_LITERAL;
        return next();
    }

    /** Forgets a partly read command and its spool file (the connection is gone). */
    public void close() {
        resetCommand();
    }

    private int indexOfLf() {
        for (int i = Math.max(scanned, start); i < end; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The size and kind ({0} sync, {1} non-sync) of a literal ending the line, or null. */
    static long[] literalMarker(byte[] b, int from, int to) {
        if (to - from < 3 || b[to - 1] != '}') {
            return null;
        }
        int i = to - 2;
        boolean plus = false;
        if (b[i] == '+') {
            plus = true;
            i--;
        }
        int digitsEnd = i + 1;
        while (i >= from && b[i] >= '0' && b[i] <= '9') {
            i--;
        }
        if (i < from || b[i] != '{' || digitsEnd - (i + 1) == 0 || digitsEnd - (i + 1) > 18) {
            return null;
        }
        long size = Long.parseLong(new String(b, i + 1, digitsEnd - (i + 1), StandardCharsets.US_ASCII));
        return new long[] {size, plus ? 1 : 0};
    }

    private static boolean isAppend(byte[] text) {
        int sp = indexOf(text, 0, (byte) ' ');
        if (sp < 0) {
            return false;
        }
        int sp2 = indexOf(text, sp + 1, (byte) ' ');
        String name = new String(text, sp + 1, (sp2 < 0 ? text.length : sp2) - sp - 1, StandardCharsets.US_ASCII);
        return name.equalsIgnoreCase("APPEND");
    }

    private static int indexOf(byte[] b, int from, byte c) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** The tag at the start of the command, or "*" when there is none to read. */
    static String tagOf(byte[] b, int from, int to, ByteArrayOutputStream earlier) {
        byte[] source = b;
        int s = from;
        int e = to;
        if (earlier != null && earlier.size() > 0) {
            source = earlier.toByteArray();
            s = 0;
            e = source.length;
        }
        int i = s;
        while (i < e && i - s < 64 && ImapParser.isTagChar(source[i])) {
            i++;
        }
        if (i == s || i - s >= 64 || i >= e || source[i] != ' ') {
            return "*";
        }
        return new String(source, s, i - s, StandardCharsets.US_ASCII);
    }
}
