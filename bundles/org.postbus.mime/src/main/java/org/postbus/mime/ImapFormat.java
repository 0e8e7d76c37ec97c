package org.postbus.mime;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;
import org.postbus.mime.internal.imap.BodyStructureWriter;
import org.postbus.mime.internal.imap.EnvelopeWriter;
import org.postbus.mime.internal.imap.ImapWriter;
import org.postbus.mime.internal.imap.ThreadWriter;

/**
 * The IMAP renderings of a message (RFC 9051 / RFC 3501 syntax), used by FETCH and THREAD.
 *
 * <p>The results are strings of Unicode characters; the server sends them encoded as UTF-8. A
 * literal's count ({@code {n}\r\n}) is the number of UTF-8 bytes that follow it.
 */
@ProviderType
public final class ImapFormat {

    private ImapFormat() {
    }

    /**
     * The ENVELOPE structure, e.g. {@code ("date" "subject" (("name" NIL "mbox" "host")) ...)}.
     * Header values are sent raw, as Dovecot does: RFC 2047 encoded words stay encoded.
     *
     * @param utf8 the client enabled UTF8=ACCEPT or IMAP4rev2, so 8-bit UTF-8 may be sent in
     *     quoted strings; otherwise a value with non-ASCII characters goes out as a literal
     */
    public static String envelope(MimeMessage message, boolean utf8) {
        ImapWriter out = new ImapWriter(utf8);
        EnvelopeWriter.write(out, message);
        return out.toString();
    }

    /**
     * BODYSTRUCTURE ({@code extensible = true}) or BODY ({@code false}) of the message.
     *
     * @param utf8 as for {@link #envelope(MimeMessage, boolean)}; also shows message/global parts
     *     with the envelope and structure of the attached message, as IMAP4rev2 does (RFC 9051),
     *     where IMAP4rev1's grammar only allows a basic part
     */
    public static String bodyStructure(MimeMessage message, boolean extensible, boolean utf8) {
        if (message.headerOnly()) {
            throw new IllegalArgumentException("BODYSTRUCTURE needs a full parse, not a header-only one");
        }
        ImapWriter out = new ImapWriter(utf8);
        new BodyStructureWriter(out, extensible, utf8).write(message.root());
        return out.toString();
    }

    /** A THREAD response body, e.g. {@code (2)(3 6 (4 23)(44 7 96))}: RFC 5256 section 4. */
    public static String thread(List<ThreadNode> roots) {
        return ThreadWriter.write(roots);
    }
}
