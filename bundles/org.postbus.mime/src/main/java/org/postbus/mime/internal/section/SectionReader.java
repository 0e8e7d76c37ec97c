package org.postbus.mime.internal.section;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.postbus.api.store.MessageContent;
import org.postbus.mime.MimeMessage;
import org.postbus.mime.MimePart;
import org.postbus.mime.Section;
import org.postbus.mime.UnknownEncodingException;

/** Finds the bytes of FETCH sections (RFC 9051 section 6.4.5) in a parsed message. */
public final class SectionReader {

    private SectionReader() {
    }

    public static MessageContent body(MimeMessage message, MessageContent content, Section section) {
        int[] path = section.part();
        if (message.headerOnly() && (path.length > 0 || section.text() == Section.Text.MIME)) {
            throw new IllegalArgumentException("sections of parts need a full parse, not a header-only one");
        }
        MimePart part = path.length == 0 ? null : resolve(message, path);
        if (path.length > 0 && part == null) {
            return Bytes.EMPTY;
        }
        switch (section.text()) {
            case NONE:
                return part == null ? new Slice(content, 0, content.size())
                        : slice(content, part.bodyStart(), part.bodyEnd());
            case MIME:
                return part == null ? Bytes.EMPTY : slice(content, part.headerStart(), part.bodyStart());
            default:
                break;
        }
        MimePart header = part == null ? message.root() : part.attached().map(MimeMessage::root).orElse(null);
        if (header == null) {
            // HEADER and TEXT of a part that is no message: there is none
            return Bytes.EMPTY;
        }
        return switch (section.text()) {
            case HEADER -> slice(content, header.headerStart(), header.bodyStart());
            case TEXT -> slice(content, header.bodyStart(), header.bodyEnd());
            case HEADER_FIELDS -> fields(content, header, section.fields(), false);
            case HEADER_FIELDS_NOT -> fields(content, header, section.fields(), true);
            default -> Bytes.EMPTY;
        };
    }

    public static MessageContent binary(MimeMessage message, MessageContent content, int[] path)
            throws UnknownEncodingException {
        if (path.length == 0) {
            return new Slice(content, 0, content.size());
        }
        if (message.headerOnly()) {
            throw new IllegalArgumentException("sections of parts need a full parse, not a header-only one");
        }
        MimePart part = resolve(message, path);
        if (part == null) {
            return Bytes.EMPTY;
        }
        MessageContent raw = slice(content, part.bodyStart(), part.bodyEnd());
        if (part.isMultipart() || part.attached().isPresent()) {
            return raw;
        }
        return Decoded.of(raw, part.transferEncoding());
    }

    /**
     * The part a part number names, or null. In a message whose body is not multipart, part 1 is
     * that body; the parts of an attached message are numbered inside it.
     */
    public static MimePart resolve(MimeMessage message, int[] path) {
        MimePart container = message.root();
        MimePart current = null;
        for (int n : path) {
            if (current != null) {
                if (current == message.root() && !current.isMultipart() && current.attached().isEmpty()) {
                    return null; // the body of a single-part message has no parts (as Dovecot)
                }
                if (current.attached().isPresent()) {
                    container = current.attached().get().root();
                } else {
                    // a leaf's part 1 is the leaf itself, as Dovecot answers
                    container = current;
                }
            }
            if (container.isMultipart()) {
                List<MimePart> kids = container.children();
                if (n < 1 || n > kids.size()) {
                    return null;
                }
                current = kids.get(n - 1);
            } else if (n == 1) {
                current = container;
            } else {
                return null;
            }
        }
        return current;
    }

    private static MessageContent slice(MessageContent c, long start, long end) {
        long s = Math.min(start, c.size());
        long e = Math.min(Math.max(end, s), c.size());
        return new Slice(c, s, e - s);
    }

    /**
     * The header fields named (or, with {@code not}, not named) in {@code names}, copied as they
     * are written, in message order, then the blank line.
     */
    private static MessageContent fields(MessageContent c, MimePart header, List<String> names, boolean not) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] blank = {'\r', '\n'};
        try (InputStream in = new BufferedInputStream(slice(c, header.headerStart(), header.bodyStart()).open())) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean keep = false;
            int b;
            while (true) {
                b = in.read();
                if (b >= 0) {
                    line.write(b);
                }
                if (b == '\n' || (b < 0 && line.size() > 0)) {
                    byte[] l = line.toByteArray();
                    line.reset();
                    if (isBlank(l)) {
                        blank = l;
                        break;
                    }
                    if (l[0] != ' ' && l[0] != '\t') {
                        keep = contains(names, fieldName(l)) != not;
                    }
                    if (keep) {
                        out.write(l, 0, l.length);
                        if (l[l.length - 1] != '\n') {
                            out.write('\r');
                            out.write('\n');
                        }
                    }
                }
                if (b < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the header's own blank line (CRLF, or LF in an LF-only message), else CRLF
        out.write(blank, 0, blank.length);
        return new Bytes(out.toByteArray());
    }

    private static boolean isBlank(byte[] l) {
        return l.length == 1 && l[0] == '\n' || l.length == 2 && l[0] == '\r' && l[1] == '\n';
    }

    /** The name before the colon; a line without one (not a field) is named by all of it, as Dovecot does. */
    private static String fieldName(byte[] l) {
        for (int i = 0; i < l.length; i++) {
            if (l[i] == ':') {
                int end = i;
                while (end > 0 && (l[end - 1] == ' ' || l[end - 1] == '\t')) {
                    end--;
                }
                return new String(l, 0, end, StandardCharsets.ISO_8859_1);
            }
        }
        return new String(l, StandardCharsets.ISO_8859_1).strip();
    }

    private static boolean contains(List<String> names, String name) {
        for (String n : names) {
            if (n.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
