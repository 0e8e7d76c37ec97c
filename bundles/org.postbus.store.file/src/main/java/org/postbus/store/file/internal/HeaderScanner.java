package org.postbus.store.file.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the threading headers ({@code Message-ID}, {@code In-Reply-To}, {@code References}) from
 * the header section of a message as its bytes stream past. Keeps at most the header section
 * (bounded); no MIME parsing.
 */
final class HeaderScanner {

    /** Beyond this many bytes, a header section is not read further. */
    static final int MAX_HEADER = 256 * 1024;
    /** At most this many referenced ids are kept, the most recent ones. */
    static final int MAX_REFERENCES = 32;

    /** The ids of a message and of those it refers to (References first, then In-Reply-To). */
    record Ids(String messageId, List<String> references) {
        static final Ids NONE = new Ids(null, List.of());
    }

    private final ByteArrayOutputStream header = new ByteArrayOutputStream(2048);
    private boolean done;
    private int last1 = -1;
    private int last2 = -1;
    private int last3 = -1;

    /** Feeds the next bytes of the message. */
    void feed(byte[] buf, int off, int len) {
        if (done) {
            return;
        }
        // Finds where the header section ends, then keeps its bytes in one copy: this runs for
        // every message delivered, on the writer's thread.
        int room = MAX_HEADER - header.size();
        int end = off;
        int limit = off + len;
        while (end < limit && !done) {
            int b = buf[end] & 0xFF;
            end++;
            boolean endLf = b == '\n' && last1 == '\n';
            boolean endCrlf = b == '\n' && last1 == '\r' && last2 == '\n' && last3 == '\r';
            if (endLf || endCrlf || end - off >= room) {
                done = true;
            }
            last3 = last2;
            last2 = last1;
            last1 = b;
        }
        header.write(buf, off, end - off);
    }

    /** Whether more bytes would change nothing. */
    boolean done() {
        return done;
    }

    /** The ids found. */
    Ids ids() {
        String text = header.toString(StandardCharsets.ISO_8859_1);
        String messageId = null;
        Set<String> references = new LinkedHashSet<>();
        List<String> inReplyTo = List.of();
        for (String field : unfold(text)) {
            int colon = field.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = field.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = field.substring(colon + 1);
            switch (name) {
                case "message-id" -> {
                    List<String> ids = msgIds(value);
                    if (messageId == null && !ids.isEmpty()) {
                        messageId = ids.get(0);
                    }
                }
                case "references" -> references.addAll(msgIds(value));
                case "in-reply-to" -> inReplyTo = msgIds(value);
                default -> {
                    // other fields do not matter for threading
                }
            }
        }
        references.addAll(inReplyTo);
        List<String> refs = new ArrayList<>(references);
        if (refs.size() > MAX_REFERENCES) {
            refs = new ArrayList<>(refs.subList(refs.size() - MAX_REFERENCES, refs.size()));
        }
        if (messageId != null) {
            refs.remove(messageId);
        }
        return messageId == null && refs.isEmpty() ? Ids.NONE : new Ids(messageId, List.copyOf(refs));
    }

    /** The header fields, continuation lines joined, up to the blank line. */
    static List<String> unfold(String text) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = null;
        int start = 0;
        while (true) {
            // Lines end with LF or CRLF; a CR elsewhere belongs to the line.
            int lf = text.indexOf('\n', start);
            int end = lf < 0 ? text.length() : lf > start && text.charAt(lf - 1) == '\r' ? lf - 1 : lf;
            String line = text.substring(start, end);
            if (line.isEmpty()) {
                break;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append(' ').append(line.strip());
            } else {
                if (current != null) {
                    fields.add(current.toString());
                }
                current = new StringBuilder(line);
            }
            if (lf < 0) {
                break;
            }
            start = lf + 1;
        }
        if (current != null) {
            fields.add(current.toString());
        }
        return fields;
    }

    /**
     * The {@code <id>} tokens of a field, without brackets; a bare token when a broken client
     * left the brackets off.
     */
    static List<String> msgIds(String value) {
        List<String> ids = new ArrayList<>();
        int i = 0;
        while (true) {
            int open = value.indexOf('<', i);
            if (open < 0) {
                break;
            }
            int close = value.indexOf('>', open + 1);
            if (close < 0) {
                break;
            }
            String id = value.substring(open + 1, close).strip();
            if (!id.isEmpty() && id.length() <= 250) {
                ids.add(id);
            }
            i = close + 1;
        }
        if (ids.isEmpty()) {
            String bare = value.strip();
            if (!bare.isEmpty() && bare.length() <= 250 && bare.indexOf(' ') < 0 && bare.indexOf('@') > 0) {
                ids.add(bare);
            }
        }
        return ids;
    }
}
