package org.postbus.mime.internal.imap;

import java.util.List;
import java.util.Map;
import org.postbus.mime.MimeMessage;
import org.postbus.mime.MimePart;

/**
 * BODY and BODYSTRUCTURE (RFC 9051 section 7.5.2, RFC 3501 section 9 body grammar), shaped like
 * Dovecot's: type, subtype, encoding and parameter names as written; text parts without a charset
 * get {@code ("charset" "us-ascii")}; a multipart without parts shows one empty text/plain part.
 */
public final class BodyStructureWriter {

    private static final String EMPTY_PART_BODY = "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0";

    private final ImapWriter out;
    private final boolean extensible;
    private final boolean rev2;

    /**
     * @param rev2 the client speaks IMAP4rev2 or UTF8=ACCEPT: message/global is then shown like
     *     message/rfc822 (RFC 9051); IMAP4rev1's grammar (RFC 3501) only allows it as a basic part
     */
    public BodyStructureWriter(ImapWriter out, boolean extensible, boolean rev2) {
        this.out = out;
        this.extensible = extensible;
        this.rev2 = rev2;
    }

    public void write(MimePart p) {
        if (p.isMultipart()) {
            multipart(p);
        } else {
            single(p);
        }
    }

    private void multipart(MimePart p) {
        out.raw('(');
        if (p.children().isEmpty()) {
            out.raw(EMPTY_PART_BODY).raw(extensible ? " NIL NIL NIL NIL)" : ")");
        }
        for (MimePart child : p.children()) {
            write(child);
        }
        out.raw(' ').string(p.subtype());
        if (extensible) {
            out.raw(' ');
            params(p.rawParameters());
            out.raw(' ');
            disposition(p);
            out.raw(' ');
            language(p.language());
            out.raw(' ').nstring(p.location().orElse(null));
        }
        out.raw(')');
    }

    private void single(MimePart p) {
        boolean text = p.type().equalsIgnoreCase("text");
        out.raw('(');
        out.string(p.type()).raw(' ').string(p.subtype()).raw(' ');
        Map<String, String> params = p.rawParameters();
        if (text && !p.parameter("charset").isPresent()) {
            out.raw("(\"charset\" \"us-ascii\"");
            for (Map.Entry<String, String> e : params.entrySet()) {
                out.raw(' ').string(e.getKey()).raw(' ').string(e.getValue());
            }
            out.raw(')');
        } else {
            params(params);
        }
        out.raw(' ').nstring(p.id().orElse(null));
        out.raw(' ').nstring(p.description().orElse(null));
        out.raw(' ').string(p.hasExplicitEncoding() ? p.transferEncoding() : "7bit");
        out.raw(' ').number(p.bodySize());
        MimeMessage attached = p.attached().orElse(null);
        boolean message = isMessage(p) && (rev2 || p.subtype().equalsIgnoreCase("rfc822"));
        if (attached != null && message) {
            out.raw(' ');
            EnvelopeWriter.write(out, attached);
            out.raw(' ');
            write(attached.root());
            out.raw(' ').number(p.bodyLines());
        } else if (message) {
            // nested deeper than the parser follows: clients still expect the message fields
            out.raw(" (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) ").raw(EMPTY_PART_BODY)
                    .raw(extensible ? " NIL NIL NIL NIL)" : ")").raw(' ').number(p.bodyLines());
        } else if (text) {
            out.raw(' ').number(p.bodyLines());
        }
        if (extensible) {
            out.raw(' ').nstring(p.md5().orElse(null));
            out.raw(' ');
            disposition(p);
            out.raw(' ');
            language(p.language());
            out.raw(' ').nstring(p.location().orElse(null));
        }
        out.raw(')');
    }

    private static boolean isMessage(MimePart p) {
        return p.type().equalsIgnoreCase("message")
                && (p.subtype().equalsIgnoreCase("rfc822") || p.subtype().equalsIgnoreCase("global"));
    }

    private void params(Map<String, String> params) {
        if (params.isEmpty()) {
            out.nil();
            return;
        }
        out.raw('(');
        boolean first = true;
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!first) {
                out.raw(' ');
            }
            first = false;
            out.string(e.getKey()).raw(' ').string(e.getValue());
        }
        out.raw(')');
    }

    private void disposition(MimePart p) {
        if (p.disposition().isEmpty()) {
            out.nil();
            return;
        }
        out.raw('(').string(p.disposition().get()).raw(' ');
        params(p.rawDispositionParameters());
        out.raw(')');
    }

    private void language(List<String> tags) {
        if (tags.isEmpty()) {
            out.nil();
            return;
        }
        out.raw('(');
        for (int i = 0; i < tags.size(); i++) {
            if (i > 0) {
                out.raw(' ');
            }
            out.string(tags.get(i));
        }
        out.raw(')');
    }
}
