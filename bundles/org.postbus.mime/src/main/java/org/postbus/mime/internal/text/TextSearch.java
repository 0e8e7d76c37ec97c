package org.postbus.mime.internal.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.postbus.api.store.MessageContent;
import org.postbus.mime.HeaderField;
import org.postbus.mime.MimeMessage;
import org.postbus.mime.MimePart;
import org.postbus.mime.internal.HeaderText;
import org.postbus.mime.internal.address.Address;
import org.postbus.mime.internal.address.AddressParser;
import org.postbus.mime.internal.section.Decoded;

/**
 * Decoded, case-insensitive substring search. Case is folded by upper- then lower-casing, which
 * matches the full Unicode case mappings for the scripts mail is written in (ß and SS match).
 */
public final class TextSearch {

    private static final int CHUNK = 8192;

    private TextSearch() {
    }

    public static String fold(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
            }
        }
        // ASCII only (most header values): one pass gives the same result, at a fraction of the cost
        // of two case mappings (SEARCH SUBJECT folds every subject of a mailbox).
        return s.toLowerCase(Locale.ROOT);
    }

    public static boolean headerContains(MimeMessage m, String fieldName, String needle) {
        String n = fold(needle);
        for (HeaderField f : m.fields()) {
            if (f.is(fieldName) && (n.isEmpty() || fold(HeaderText.decode(f.value())).contains(n))) {
                return true;
            }
        }
        return false;
    }

    /**
     * SEARCH FROM, TO, CC and BCC look in the envelope's address structure (RFC 9051 6.4.4), not in
     * the raw field: each address is matched as {@code display-name <local@domain>} with the name
     * decoded and comments dropped, a group by its name. So "a@b" finds {@code <a (c)@ b>} and
     * {@code "Name" <a@b>}, and a word inside a comment is not an address.
     */
    public static boolean addressContains(MimeMessage m, String fieldName, String needle) {
        String n = fold(needle);
        for (HeaderField f : m.fields()) {
            if (!f.is(fieldName)) {
                continue;
            }
            if (n.isEmpty()) {
                return true;
            }
            for (Address a : AddressParser.parse(f.value())) {
                if (fold(rendered(a)).contains(n)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String rendered(Address a) {
        if (a.isGroupMarker()) {
            return a.mailbox() == null ? "" : HeaderText.decode(a.mailbox());
        }
        String spec = "<" + a.addrSpec() + ">";
        return a.name() == null || a.name().isEmpty() ? spec : HeaderText.decode(a.name()) + " " + spec;
    }

    public static boolean bodyContains(MimeMessage m, MessageContent c, String needle) {
        requireFull(m);
        return partContains(m.root(), c, fold(needle), false);
    }

    public static boolean textContains(MimeMessage m, MessageContent c, String needle) {
        requireFull(m);
        String n = fold(needle);
        return headersContain(m.root(), n) || partContains(m.root(), c, n, true);
    }

    private static boolean headersContain(MimePart p, String folded) {
        for (HeaderField f : p.fields()) {
            if (fold(f.name() + ": " + HeaderText.decode(f.value())).contains(folded)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Text parts of the part's tree; when {@code headers} (TEXT) also the parts' MIME headers and
     * attached messages' headers, which are part of the message body (RFC 9051 6.4.4).
     */
    private static boolean partContains(MimePart p, MessageContent c, String folded, boolean headers) {
        if (folded.isEmpty()) {
            return true;
        }
        if (p.isMultipart()) {
            for (MimePart child : p.children()) {
                if (headers && headersContain(child, folded) || partContains(child, c, folded, headers)) {
                    return true;
                }
            }
            return false;
        }
        if (p.attached().isPresent()) {
            MimePart inner = p.attached().get().root();
            return headers && headersContain(inner, folded) || partContains(inner, c, folded, headers);
        }
        if (!p.type().equalsIgnoreCase("text") || !Decoded.known(p.transferEncoding())) {
            return false;
        }
        Charset cs = charset(p);
        try (InputStream raw = c.open(p.bodyStart(), p.bodySize());
                Reader r = reader(Decoded.decoding(raw, p.transferEncoding()), cs)) {
            return contains(r, folded);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Reader reader(InputStream in, Charset cs) {
        try {
            return new InputStreamReader(in, cs.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE));
        } catch (UnsupportedOperationException e) {
            // a charset Java knows but cannot decode: read it as UTF-8 rather than fail the search
            return new InputStreamReader(in, StandardCharsets.UTF_8);
        }
    }

    private static Charset charset(MimePart p) {
        return p.charset().map(n -> lookup(n)).orElse(StandardCharsets.UTF_8);
    }

    private static Charset lookup(String name) {
        try {
            Charset cs = org.apache.james.mime4j.util.CharsetUtil.lookup(name.strip());
            // An unknown charset: most such mail is UTF-8 or a Latin one; UTF-8 decoding replaces the rest.
            return cs != null ? cs : StandardCharsets.UTF_8;
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** Streams the text and matches across chunk borders, keeping a needle-sized tail. */
    static boolean contains(Reader r, String folded) throws IOException {
        char[] buf = new char[CHUNK];
        StringBuilder window = new StringBuilder();
        int keep = Math.max(folded.length() * 2, 16);
        char pending = 0;
        int n;
        while ((n = r.read(buf)) > 0) {
            StringBuilder chunk = new StringBuilder(n + 1);
            if (pending != 0) {
                chunk.append(pending);
                pending = 0;
            }
            chunk.append(buf, 0, n);
            if (Character.isHighSurrogate(chunk.charAt(chunk.length() - 1))) {
                pending = chunk.charAt(chunk.length() - 1);
                chunk.setLength(chunk.length() - 1);
            }
            window.append(fold(unfoldBreaks(chunk.toString())));
            if (window.indexOf(folded) >= 0) {
                return true;
            }
            if (window.length() > keep) {
                window.delete(0, window.length() - keep);
            }
        }
        if (pending != 0) {
            window.append(pending);
        }
        return window.indexOf(folded) >= 0;
    }

    /** CRs are dropped, so that a needle with a line break matches CRLF and LF text alike. */
    private static String unfoldBreaks(String s) {
        return s.indexOf('\r') < 0 ? s : s.replace("\r", "");
    }

    private static void requireFull(MimeMessage m) {
        if (m.headerOnly()) {
            throw new IllegalArgumentException("searching body text needs a full parse, not a header-only one");
        }
    }
}
