package org.postbus.mime.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Message ids in Message-ID, References and In-Reply-To, normalised to {@code <left@right>}:
 * comments, whitespace and quoting outside the brackets are dropped, whitespace inside removed.
 */
public final class MessageIds {

    private MessageIds() {
    }

    /** The first message id in the value; a bare id without brackets is accepted for Message-ID. */
    public static Optional<String> first(String value) {
        List<String> ids = scan(value, true);
        if (!ids.isEmpty()) {
            return Optional.of(ids.get(0));
        }
        String bare = value.strip();
        if (!bare.isEmpty() && bare.indexOf(' ') < 0 && bare.indexOf('@') > 0 && bare.indexOf('<') < 0) {
            return Optional.of("<" + bare + ">");
        }
        return Optional.empty();
    }

    /** All message ids in the value, in order. */
    public static List<String> all(String value) {
        return scan(value, false);
    }

    private static List<String> scan(String v, boolean firstOnly) {
        List<String> ids = new ArrayList<>();
        int i = 0;
        int n = v.length();
        while (i < n) {
            char c = v.charAt(i);
            if (c == '(') {
                i = skipComment(v, i);
            } else if (c == '"') {
                i = skipQuoted(v, i);
            } else if (c == '<') {
                int close = v.indexOf('>', i + 1);
                if (close < 0) {
                    break;
                }
                String id = clean(v.substring(i + 1, close));
                // RFC 5256 asks for valid ids; one without an @ is usually a broken fold or a mailbox.
                if (!id.isEmpty() && id.indexOf('@') > 0 && id.indexOf('<') < 0) {
                    ids.add("<" + id + ">");
                    if (firstOnly) {
                        return ids;
                    }
                }
                i = close + 1;
            } else {
                i++;
            }
        }
        return ids;
    }

    private static String clean(String id) {
        StringBuilder b = new StringBuilder(id.length());
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                b.append(c);
            }
        }
        return b.toString();
    }

    static int skipComment(String v, int i) {
        int depth = 0;
        for (; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i + 1;
            }
        }
        return v.length();
    }

    static int skipQuoted(String v, int i) {
        for (i++; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            }
        }
        return v.length();
    }
}
