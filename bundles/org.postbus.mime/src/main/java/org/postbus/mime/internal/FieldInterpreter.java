package org.postbus.mime.internal;

import java.util.Map;
import org.postbus.mime.HeaderField;

/** Fills in a part's MIME properties from its header fields. */
final class FieldInterpreter {

    private FieldInterpreter() {
    }

    static void apply(PartModel p, boolean inDigest) {
        if (inDigest) {
            p.type = "message";
            p.subtype = "rfc822";
        }
        boolean typeSeen = false;
        for (HeaderField f : p.fields) {
            String n = f.name();
            if (!typeSeen && n.equalsIgnoreCase("Content-Type")) {
                typeSeen = true;
                contentType(p, f.value());
            } else if (n.equalsIgnoreCase("Content-Transfer-Encoding") && !p.explicitEncoding) {
                String v = ContentFields.parse(f.value()).value();
                if (!v.isEmpty()) {
                    p.transferEncoding = v;
                    p.explicitEncoding = true;
                }
            } else if (n.equalsIgnoreCase("Content-ID") && p.id == null) {
                p.id = f.value();
            } else if (n.equalsIgnoreCase("Content-Description") && p.description == null) {
                p.description = f.value();
            } else if (n.equalsIgnoreCase("Content-Disposition") && p.disposition == null) {
                ContentFields.Parsed d = ContentFields.parse(f.value());
                if (!d.value().isEmpty()) {
                    p.disposition = d.value();
                    p.dispositionParameters.putAll(d.decoded());
                    p.rawDispositionParameters.putAll(d.raw());
                }
            } else if (n.equalsIgnoreCase("Content-Language") && p.language.isEmpty()) {
                p.language.addAll(ContentFields.languages(f.value()));
            } else if (n.equalsIgnoreCase("Content-Location") && p.location == null) {
                p.location = f.value();
            } else if (n.equalsIgnoreCase("Content-MD5") && p.md5 == null) {
                p.md5 = f.value();
            }
        }
    }

    private static void contentType(PartModel p, String value) {
        ContentFields.Parsed ct = ContentFields.parse(value);
        String t = ct.value();
        if (t.isEmpty()) {
            return;
        }
        int slash = t.indexOf('/');
        // Like Dovecot: a type without a subtype is kept as it is, with an empty subtype.
        p.type = (slash < 0 ? t : t.substring(0, slash)).strip();
        p.subtype = slash < 0 ? "" : t.substring(slash + 1).strip();
        p.explicitType = true;
        p.parameters.putAll(ct.decoded());
        p.rawParameters.putAll(ct.raw());
    }

    /** The multipart boundary, or null when there is none. */
    static String boundary(PartModel p) {
        for (Map.Entry<String, String> e : p.parameters.entrySet()) {
            if (e.getKey().equalsIgnoreCase("boundary") && !e.getValue().isEmpty()) {
                return e.getValue();
            }
        }
        return null;
    }
}
