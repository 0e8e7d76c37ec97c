package org.postbus.mime.internal.sort;

import java.text.Normalizer;

/** The i;unicode-casemap collation of RFC 5051: simple titlecase mapping, then NFD. */
public final class Collation {

    private Collation() {
    }

    public static String key(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(Character.toTitleCase(cp)));
        return Normalizer.normalize(b, Normalizer.Form.NFD);
    }
}
