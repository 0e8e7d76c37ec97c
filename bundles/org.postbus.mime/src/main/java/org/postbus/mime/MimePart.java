package org.postbus.mime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;
import org.postbus.mime.internal.PartModel;

/**
 * One MIME part of a parsed message: where its header and body lie in the original message
 * (byte offsets), its content type and the other fields IMAP's BODYSTRUCTURE reports, its own
 * header fields, and its children (multipart) or attached message (message/rfc822). Immutable and
 * thread-safe; it holds no body bytes.
 */
@ProviderType
public final class MimePart {

    private final long headerStart;
    private final long bodyStart;
    private final long bodyEnd;
    private final long bodyLines;
    private final String type;
    private final String subtype;
    private final Map<String, String> parameters;
    private final Map<String, String> rawParameters;
    private final Map<String, String> rawDispositionParameters;
    private final List<HeaderField> fields;
    private final List<MimePart> children;
    private final MimeMessage attached;
    private final String transferEncoding;
    private final String id;
    private final String description;
    private final String disposition;
    private final Map<String, String> dispositionParameters;
    private final List<String> language;
    private final String location;
    private final String md5;
    private final boolean explicitType;
    private final boolean explicitEncoding;

    MimePart(PartModel m) {
        headerStart = m.headerStart;
        bodyStart = m.bodyStart;
        bodyEnd = m.bodyEnd;
        bodyLines = m.bodyLines;
        type = m.type;
        subtype = m.subtype;
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(m.parameters));
        rawParameters = Collections.unmodifiableMap(new LinkedHashMap<>(m.rawParameters));
        rawDispositionParameters = Collections.unmodifiableMap(new LinkedHashMap<>(m.rawDispositionParameters));
        fields = List.copyOf(m.fields);
        List<MimePart> kids = new ArrayList<>(m.children.size());
        for (PartModel child : m.children) {
            kids.add(new MimePart(child));
        }
        children = List.copyOf(kids);
        attached = m.attached == null ? null : new MimeMessage(new MimePart(m.attached));
        transferEncoding = m.transferEncoding;
        id = m.id;
        description = m.description;
        disposition = m.disposition;
        dispositionParameters = Collections.unmodifiableMap(new LinkedHashMap<>(m.dispositionParameters));
        language = List.copyOf(m.language);
        location = m.location;
        md5 = m.md5;
        explicitType = m.explicitType;
        explicitEncoding = m.explicitEncoding;
    }

    /** The offset of the first byte of this part's header (for the root: 0). */
    public long headerStart() {
        return headerStart;
    }

    /** The offset of the first body byte: just after the blank line that ends the header. */
    public long bodyStart() {
        return bodyStart;
    }

    /**
     * The offset just past the body. Inside a multipart the line break before the next boundary
     * belongs to the boundary, not to the body (RFC 2046 5.1.1).
     */
    public long bodyEnd() {
        return bodyEnd;
    }

    /** The size of the body in bytes. */
    public long bodySize() {
        return bodyEnd - bodyStart;
    }

    /** The number of lines of the body: its line feeds (a last line without one is not counted). */
    public long bodyLines() {
        return bodyLines;
    }

    /**
     * The media type as written in Content-Type: "text" when there is no such field or it is
     * empty, "message" inside multipart/digest. A value without a "/" is kept as the type, with
     * an empty subtype (as Dovecot reports it).
     */
    public String type() {
        return type;
    }

    /** The media subtype as written ("plain" by default, "rfc822" inside multipart/digest). */
    public String subtype() {
        return subtype;
    }

    /** Whether the part has a Content-Type field this parser could use (else the defaults apply). */
    public boolean hasExplicitType() {
        return explicitType;
    }

    /** Whether the type is {@code type/subtype}, ignoring ASCII case. */
    public boolean is(String mediaType, String mediaSubtype) {
        return type.equalsIgnoreCase(mediaType) && subtype.equalsIgnoreCase(mediaSubtype);
    }

    /** Whether this is a multipart/* part. */
    public boolean isMultipart() {
        return type.equalsIgnoreCase("multipart");
    }

    /**
     * The Content-Type parameters in order, names as written, RFC 2231 continuations joined and
     * decoded. Names are unique, compared ignoring ASCII case (the first one wins).
     */
    public Map<String, String> parameters() {
        return parameters;
    }

    /**
     * The Content-Type parameters as IMAP BODYSTRUCTURE reports them (as Dovecot does): names and
     * values as written, RFC 2231 continuations joined but not decoded (an extended parameter keeps
     * its {@code *} and its {@code charset'language'} prefix), plain parameters first.
     */
    public Map<String, String> rawParameters() {
        return rawParameters;
    }

    /** The Content-Disposition parameters the way {@link #rawParameters()} gives Content-Type's. */
    public Map<String, String> rawDispositionParameters() {
        return rawDispositionParameters;
    }

    /** The value of a Content-Type parameter, its name compared ignoring ASCII case. */
    public Optional<String> parameter(String name) {
        return find(parameters, name);
    }

    /** The charset parameter, if any. */
    public Optional<String> charset() {
        return parameter("charset");
    }

    /** The parts of a multipart/* part, in order; empty for other types. */
    public List<MimePart> children() {
        return children;
    }

    /** The encapsulated message of a message/rfc822 or message/global part. */
    public Optional<MimeMessage> attached() {
        return Optional.ofNullable(attached);
    }

    /** The Content-Transfer-Encoding as written, "7BIT" when there is none. */
    public String transferEncoding() {
        return transferEncoding;
    }

    /** Whether the part has a Content-Transfer-Encoding field. */
    public boolean hasExplicitEncoding() {
        return explicitEncoding;
    }

    /** The Content-ID field, raw. */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    /** The Content-Description field, raw (RFC 2047 words stay encoded). */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** The Content-Disposition type as written ("inline", "attachment"). */
    public Optional<String> disposition() {
        return Optional.ofNullable(disposition);
    }

    /** The Content-Disposition parameters in order, RFC 2231 continuations joined and decoded. */
    public Map<String, String> dispositionParameters() {
        return dispositionParameters;
    }

    /**
     * The file name of an attachment: Content-Disposition's filename, else Content-Type's name,
     * RFC 2231 decoded; RFC 2047 encoded words are left as they are.
     */
    public Optional<String> fileName() {
        Optional<String> name = find(dispositionParameters, "filename");
        return name.isPresent() ? name : parameter("name");
    }

    /** The Content-Language tags, in order. */
    public List<String> language() {
        return language;
    }

    /** The Content-Location field, raw. */
    public Optional<String> location() {
        return Optional.ofNullable(location);
    }

    /** The Content-MD5 field, raw. */
    public Optional<String> md5() {
        return Optional.ofNullable(md5);
    }

    /** This part's own header fields, in order. */
    public List<HeaderField> fields() {
        return fields;
    }

    /** The unfolded raw values of this part's header fields with that name, in order. */
    public List<String> header(String name) {
        List<String> values = new ArrayList<>(1);
        for (HeaderField f : fields) {
            if (f.is(name)) {
                values.add(f.value());
            }
        }
        return values;
    }

    private static Optional<String> find(Map<String, String> map, String name) {
        String v = map.get(name);
        if (v != null) {
            return Optional.of(v);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(lower)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return type + "/" + subtype + "[" + headerStart + "," + bodyStart + "," + bodyEnd + "]";
    }
}
