package org.postbus.smtp.internal.message;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postbus.api.store.MessageContent;

/**
 * The header fields of a message, read from the front of its content up to the first empty
 * line (RFC 5322 2.1), unfolded but not decoded. Reads at most {@link #LIMIT} bytes.
 */
final class HeaderSection {

    /** The most of a message read for its header section. */
    static final int LIMIT = 1024 * 1024;

    private final List<String[]> fields;

    private HeaderSection(List<String[]> fields) {
        this.fields = fields;
    }

    /** Reads the header section of {@code content}. */
    static HeaderSection read(MessageContent content) {
        try (InputStream in = new BufferedInputStream(content.open(0, LIMIT))) {
            return parse(headerBytes(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the message header", e);
        }
    }

    /** Values of the fields named {@code name}, any case, in order. */
    List<String> values(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        List<String> values = new ArrayList<>();
        for (String[] field : fields) {
            if (field[0].equals(lower)) {
                values.add(field[1]);
            }
        }
        return values;
    }

    private static String headerBytes(InputStream in) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream(4096);
        int previous = '\n';
        int b;
        // An empty line ends the section: LF followed by LF, with or without CR in between.
        while ((b = in.read()) >= 0) {
            if (b == '\n' && previous == '\n') {
                break;
            }
            if (b != '\r') {
                header.write(b);
                previous = b;
            }
        }
        return header.toString(StandardCharsets.UTF_8);
    }

    private static HeaderSection parse(String text) {
        List<String[]> fields = new ArrayList<>();
        StringBuilder current = null;
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (current != null) {
                    current.append(line);
                }
                continue;
            }
            add(fields, current);
            current = new StringBuilder(line);
        }
        add(fields, current);
        return new HeaderSection(List.copyOf(fields));
    }

    private static void add(List<String[]> fields, StringBuilder field) {
        if (field == null) {
            return;
        }
        int colon = field.indexOf(":");
        if (colon > 0) {
            String name = field.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            fields.add(new String[] {name, field.substring(colon + 1).strip()});
        }
    }
}
