package org.postbus.admin.internal.migrate;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.postbus.api.store.Flag;
import org.postbus.api.store.Flags;

/**
 * Finds the messages in an mbox file, one at a time, without holding the file: where each one
 * starts and ends, its date from the {@code From } line, and its flags from the {@code Status},
 * {@code X-Status} and {@code X-Keywords} headers that mutt, Thunderbird and Dovecot write.
 *
 * <p>A message starts after a line {@code From sender date}; a line beginning {@code From }
 * without a readable date is taken as text (a writer that did not quote it). The empty line that
 * mbox puts before each {@code From } line is not part of the message. The bytes are left as
 * they are: {@link CrlfFileContent#mboxRegion} undoes the mboxrd quoting when the message is read.
 */
final class MboxReader implements Closeable {

    /** How much of a line is looked at (separators and the few headers read are short). */
    private static final int HEAD = 1000;

    /**
     * A message found.
     *
     * @param start its first byte in the file
     * @param end the byte after its last
     * @param date the date of its {@code From } line, if readable
     * @param flags its flags from the status headers
     */
    record Entry(long start, long end, Optional<Instant> date, Flags flags) {
    }

    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int limit;
    private long bufOffset;
    private final byte[] head = new byte[HEAD];
    private int headLength;
    private long lineStart;
    private long lineLength;
    private String pendingFrom;
    private long pendingStart;

    /**
     * Opens an mbox file and reads its first line.
     *
     * @throws MigrationException if the file does not begin with a {@code From } line
     */
    MboxReader(Path file) throws IOException, MigrationException {
        in = Files.newInputStream(file);
        try {
            do {
                if (!readLine()) {
                    throw new MigrationException("not an mbox file: " + file + " is empty");
                }
            } while (isEmptyLine());
            String first = text();
            if (!FromLine.starts(first)) {
                throw new MigrationException("not an mbox file: " + file + " does not begin with a 'From ' line but with '"
                        + Skipped.shown(first) + "'");
            }
            pendingFrom = first;
            pendingStart = lineStart + lineLength;
        } catch (IOException | MigrationException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The next message, or empty at the end of the file. */
    Optional<Entry> next() throws IOException {
        if (pendingFrom == null) {
            return Optional.empty();
        }
        long start = pendingStart;
        Optional<Instant> date = FromLine.date(pendingFrom);
        Set<Flag> system = EnumSet.noneOf(Flag.class);
        Set<String> keywords = new TreeSet<>();
        boolean inHeaders = true;
        boolean lastEmpty = false;
        long lastLength = 0;
        long end = start;
        pendingFrom = null;
        while (readLine()) {
            String text = text();
            if (FromLine.starts(text) && FromLine.date(text).isPresent()) {
                pendingFrom = text;
                pendingStart = lineStart + lineLength;
                break;
            }
            boolean empty = isEmptyLine();
            if (inHeaders) {
                if (empty) {
                    inHeaders = false;
                } else {
                    header(text, system, keywords);
                }
            }
            lastEmpty = empty;
            lastLength = lineLength;
            end = lineStart + lineLength;
        }
        if (lastEmpty) {
            end -= lastLength;
        }
        return Optional.of(new Entry(start, Math.max(start, end), date, new Flags(system, keywords)));
    }

    private static void header(String line, Set<Flag> system, Set<String> keywords) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return;
        }
        String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).strip();
        switch (name) {
            case "status" -> {
                if (value.indexOf('R') >= 0) {
                    system.add(Flag.SEEN);
                }
            }
            case "x-status" -> {
                for (char c : value.toCharArray()) {
                    switch (c) {
                        case 'A' -> system.add(Flag.ANSWERED);
                        case 'F' -> system.add(Flag.FLAGGED);
                        case 'D' -> system.add(Flag.DELETED);
                        case 'T' -> system.add(Flag.DRAFT);
                        default -> { }
                    }
                }
            }
            case "x-keywords" -> {
                for (String k : value.split("[\\s,]+")) {
                    if (Keywords.valid(k)) {
                        keywords.add(k);
                    }
                }
            }
            default -> { }
        }
    }

    /** Reads the next line; false at the end of the file. */
    private boolean readLine() throws IOException {
        lineStart = bufOffset + pos;
        headLength = 0;
        long length = 0;
        while (true) {
            if (pos >= limit) {
                bufOffset += limit;
                pos = 0;
                limit = Math.max(0, in.read(buf));
                if (limit == 0) {
                    break;
                }
            }
            byte c = buf[pos++];
            length++;
            if (headLength < HEAD) {
                head[headLength++] = c;
            }
            if (c == '\n') {
                break;
            }
        }
        lineLength = length;
        return length > 0;
    }

    private boolean isEmptyLine() {
        return headLength == 1 && head[0] == '\n' || headLength == 2 && head[0] == '\r' && head[1] == '\n';
    }

    /** The start of the current line, without its line end. */
    private String text() {
        int n = headLength;
        while (n > 0 && (head[n - 1] == '\n' || head[n - 1] == '\r')) {
            n--;
        }
        return new String(head, 0, n, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
