package org.postbus.mime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.postbus.mime.HeaderField;

/**
 * Reads a message once, front to back, and records its MIME structure with byte offsets; bodies
 * are skipped line by line, never kept. Boundary lines are recognised the lenient way mail
 * servers do (a line starting with {@code --boundary}, the innermost open multipart first, and any
 * enclosing one ends the inner parts too), so a missing close delimiter or a boundary that never
 * comes still gives a usable structure.
 */
public final class StructureParser {

    /** Deeper nesting of multiparts and attached messages is kept as an opaque body. */
    public static final int MAX_DEPTH = 100;
    /** More parts than this are not split further (each costs memory). */
    public static final int MAX_PARTS = 10_000;
    /** Header bytes kept per field; the rest is skipped. */
    static final int MAX_FIELD = 64 * 1024;
    /** RFC 2046 allows 70 characters; longer ones (up to a line's length) are tolerated. */
    static final int MAX_BOUNDARY = 998;
    /** Header fields kept per part. */
    static final int MAX_FIELDS = 2_000;
    /** Header text kept per part; a hostile header beyond it is read past, not kept. */
    static final int MAX_HEADER_KEPT = 256 * 1024;
    /** Header text kept for the whole message, so that structure stays small whatever comes. */
    static final long MAX_TOTAL_KEPT = 8L * 1024 * 1024;

    /** Where a body ended: at an enclosing boundary line (level >= 0), or at the end (level -1). */
    private record End(int level, boolean closing, long position, long lineFeeds) {
    }

    private final ByteInput in;
    private final List<byte[]> boundaries = new ArrayList<>();
    private final LineBuffer line = new LineBuffer();
    private int parts;
    /** Whether the field being read has a continuation line. */
    private boolean folded;
    private long partKept;
    private long totalKept;

    public StructureParser(InputStream in) {
        this(in, ByteInput.MAX_BUFFER);
    }

    /** @param sizeHint the bytes the parse is expected to read (sizes the read buffer) */
    public StructureParser(InputStream in, long sizeHint) {
        this.in = new ByteInput(in, sizeHint);
    }

    /** Parses the whole message and returns its root part. */
    public PartModel parse() throws IOException {
        PartModel root = new PartModel();
        parseEntity(root, 0, false);
        // Whatever follows (nothing, unless boundaries were misused) is not part of any body.
        in.skipToEnd();
        return root;
    }

    /**
     * Reads only the top-level header and returns a root part without children: its body is taken
     * to run to {@code size}, its line count is not known (0).
     */
    public PartModel parseHeader(long size) throws IOException {
        PartModel root = new PartModel();
        parts++;
        root.headerStart = 0;
        End endInHeader = readHeader(root);
        root.bodyStart = endInHeader == null ? in.position() : Math.max(0, endInHeader.position);
        root.startLineFeeds = in.lineFeeds();
        FieldInterpreter.apply(root, false);
        root.bodyEnd = Math.max(root.bodyStart, size);
        return root;
    }

    /** Parses a header and body starting here, until an enclosing boundary line or the end. */
    private End parseEntity(PartModel p, int depth, boolean inDigest) throws IOException {
        parts++;
        p.headerStart = in.position();
        End endInHeader = readHeader(p);
        p.bodyStart = endInHeader == null ? in.position() : Math.max(p.headerStart, endInHeader.position);
        p.startLineFeeds = in.lineFeeds();
        FieldInterpreter.apply(p, inDigest);
        End end;
        if (endInHeader != null) {
            end = endInHeader;
        } else if (p.type.equalsIgnoreCase("multipart") && depth < MAX_DEPTH && parts < MAX_PARTS) {
            end = parseMultipart(p, depth);
        } else if (isMessage(p) && depth < MAX_DEPTH && parts < MAX_PARTS) {
            PartModel inner = new PartModel();
            end = parseEntity(inner, depth + 1, false);
            p.attached = inner;
        } else {
            end = scanBody();
        }
        finish(p, end);
        return end;
    }

    private static boolean isMessage(PartModel p) {
        return p.type.equalsIgnoreCase("message")
                && (p.subtype.equalsIgnoreCase("rfc822") || p.subtype.equalsIgnoreCase("global"));
    }

    private End parseMultipart(PartModel p, int depth) throws IOException {
        String boundary = FieldInterpreter.boundary(p);
        if (boundary == null || boundary.length() > MAX_BOUNDARY) {
            return scanBody();
        }
        boolean digest = p.subtype.equalsIgnoreCase("digest");
        boundaries.add(("--" + boundary).getBytes(StandardCharsets.ISO_8859_1));
        int level = boundaries.size() - 1;
        try {
            End end = scanBody(); // the preamble
            while (end.level == level && !end.closing) {
                in.readLine(null, 0);
                if (parts >= MAX_PARTS) {
                    end = scanBody();
                    continue;
                }
                PartModel child = new PartModel();
                end = parseEntity(child, depth + 1, digest);
                p.children.add(child);
            }
            if (end.level == level) {
                in.readLine(null, 0);
                boundaries.remove(level);
                return scanBody(); // the epilogue
            }
            return end;
        } finally {
            while (boundaries.size() > level) {
                boundaries.remove(boundaries.size() - 1);
            }
        }
    }

    private void finish(PartModel p, End end) {
        p.bodyEnd = Math.max(p.bodyStart, end.position);
        p.bodyLines = Math.max(0, end.lineFeeds - p.startLineFeeds);
    }

    /**
     * Skips body lines up to the next boundary line of any open multipart (not consumed), or the
     * end. The line break before a boundary line belongs to the boundary (RFC 2046 5.1.1).
     */
    private End scanBody() throws IOException {
        if (boundaries.isEmpty()) {
            in.skipToEnd();
            return new End(-1, false, in.position(), in.lineFeeds());
        }
        int eol = 0;
        while (!in.atEnd()) {
            End hit = boundaryHere(eol);
            if (hit != null) {
                return hit;
            }
            eol = in.readLine(null, 0);
        }
        return new End(-1, false, in.position(), in.lineFeeds());
    }

    /** Whether the line ahead is a boundary line; {@code eolBefore} is the previous line's end. */
    private End boundaryHere(int eolBefore) throws IOException {
        return boundaryHere(eolBefore, false);
    }

    /**
     * @param strict the boundary must be followed by "--", whitespace or the line end, rather
     *     than be a prefix of the line
     */
    private End boundaryHere(int eolBefore, boolean strict) throws IOException {
        if (in.peek(0) != '-' || in.peek(1) != '-') {
            return null;
        }
        for (int level = boundaries.size() - 1; level >= 0; level--) {
            byte[] b = boundaries.get(level);
            if (!in.startsWith(b)) {
                continue;
            }
            int next = in.peek(b.length);
            if (!strict || next < 0 || next == '-' || next == ' ' || next == '\t' || next == '\r' || next == '\n') {
                boolean closing = next == '-' && in.peek(b.length + 1) == '-';
                return new End(level, closing, in.position() - eolBefore,
                        in.lineFeeds() - (eolBefore > 0 ? 1 : 0));
            }
        }
        return null;
    }

    /**
     * Reads header fields up to and including the blank line. Returns the end of the entity if a
     * boundary line (or the end of input) comes first: then the header is all there is.
     */
    private End readHeader(PartModel p) throws IOException {
        String name = null;
        LineBuffer value = new LineBuffer();
        folded = false;
        partKept = 0;
        int eol = 0;
        while (true) {
            if (in.atEnd()) {
                addField(p, name, value);
                return null;
            }
            if (!boundaries.isEmpty()) {
                End hit = boundaryHere(eol);
                if (hit != null) {
                    addField(p, name, value);
                    return hit;
                }
            }
            line.clear();
            eol = in.readLine(line, MAX_FIELD);
            int n = line.length();
            if (n == 0 && eol > 0) {
                addField(p, name, value);
                // A blank line right before a boundary is the boundary's line break: the header
                // ends without one and the body is empty (as Dovecot reads it).
                // Strict, because the part's own boundary may extend an enclosing one.
                return boundaries.isEmpty() ? null : boundaryHere(eol, true);
            }
            byte first = n > 0 ? line.at(0) : 0;
            if (first == ' ' || first == '\t') {
                if (name != null) {
                    unfold(value, line);
                    folded = true;
                }
                continue;
            }
            addField(p, name, value);
            name = null;
            value.clear();
            folded = false;
            int colon = -1;
            for (int i = 0; i < n; i++) {
                if (line.at(i) == ':') {
                    colon = i;
                    break;
                }
            }
            int nameEnd = colon;
            while (nameEnd > 0 && (line.at(nameEnd - 1) == ' ' || line.at(nameEnd - 1) == '\t')) {
                nameEnd--;
            }
            if (colon <= 0 || nameEnd == 0 || !validName(line, nameEnd)) {
                continue; // not a field (an mbox From_ line, garbage): skipped, as mail readers do
            }
            name = new String(line.array(), 0, nameEnd, StandardCharsets.ISO_8859_1);
            int v = colon + 1;
            while (v < n && (line.at(v) == ' ' || line.at(v) == '\t')) {
                v++;
            }
            value.append(line.array(), v, n - v, MAX_FIELD);
        }
    }

    private static boolean validName(LineBuffer line, int end) {
        for (int i = 0; i < end; i++) {
            int c = line.at(i) & 0xff;
            if (c <= 32 || c >= 127) {
                return false;
            }
        }
        return true;
    }

    /**
     * Joins a continuation line: only the line break goes, the whitespace that starts the
     * continuation stays (RFC 5322 unfolding), which is what IMAP servers send as the raw value.
     */
    private static void unfold(LineBuffer value, LineBuffer cont) {
        value.append(cont.array(), 0, cont.length(), MAX_FIELD);
    }

    private void addField(PartModel p, String name, LineBuffer value) {
        if (name == null || p.fields.size() >= MAX_FIELDS) {
            return;
        }
        int size = name.length() + value.length();
        if (partKept + size > MAX_HEADER_KEPT || totalKept + size > MAX_TOTAL_KEPT) {
            return;
        }
        partKept += size;
        totalKept += size;
        {
            p.fields.add(new HeaderField(name, HeaderText.chars(value.array(), 0, value.length()), folded));
        }
    }
}
