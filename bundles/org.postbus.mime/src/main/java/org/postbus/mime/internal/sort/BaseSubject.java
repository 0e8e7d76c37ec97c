package org.postbus.mime.internal.sort;

import java.util.Locale;

/** The base subject of RFC 5256 section 2.1, from an already RFC 2047 decoded subject. */
public final class BaseSubject {

    private BaseSubject() {
    }

    public static String of(String decoded) {
        String s = collapse(decoded);
        while (true) {
            // (2) trailing "(fwd)" and whitespace
            boolean changed = true;
            while (changed) {
                changed = false;
                String t = s.stripTrailing();
                if (t.length() >= 5 && t.regionMatches(true, t.length() - 5, "(fwd)", 0, 5)) {
                    t = t.substring(0, t.length() - 5);
                    changed = true;
                }
                if (t.length() != s.length()) {
                    changed = true;
                }
                s = t;
            }
            // (3) and (4): leaders and blobs, until neither applies
            changed = true;
            while (changed) {
                changed = false;
                String t = stripLeader(s);
                if (!t.equals(s)) {
                    s = t;
                    changed = true;
                }
                t = stripBlob(s);
                if (!t.equals(s)) {
                    s = t;
                    changed = true;
                }
            }
            // (5) "[fwd:" ... "]"
            if (s.length() >= 6 && s.regionMatches(true, 0, "[fwd:", 0, 5) && s.endsWith("]")) {
                s = s.substring(5, s.length() - 1);
                continue;
            }
            return s;
        }
    }

    /**
     * Whether extracting the base subject removed a reply or forward marker: a leader with
     * "re"/"fw"/"fwd", a trailing "(fwd)" or the "[fwd: ...]" wrapper (RFC 5256 section 2.1).
     */
    public static boolean isReplyOrForward(String decoded) {
        String s = collapse(decoded).strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.endsWith("(fwd)") || lower.startsWith("[fwd:")) {
            return true;
        }
        String t = s;
        while (true) {
            String u = stripBlob(t).stripLeading();
            String v = stripLeader(u);
            if (!v.equals(u) && !u.startsWith(" ")) {
                return true;
            }
            if (u.equals(t)) {
                return false;
            }
            t = u;
        }
    }

    /** Tabs and line breaks to spaces, runs of spaces to one, leading whitespace removed. */
    private static String collapse(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                space = true;
            } else {
                if (space && b.length() > 0) {
                    b.append(' ');
                }
                space = false;
                b.append(c);
            }
        }
        if (space && b.length() > 0) {
            b.append(' ');
        }
        return b.toString();
    }

    /** subj-leader = (*subj-blob subj-refwd) / WSP; subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":" */
    private static String stripLeader(String s) {
        if (s.startsWith(" ")) {
            return s.substring(1);
        }
        int i = 0;
        while (true) {
            int after = skipBlob(s, i);
            if (after == i) {
                break;
            }
            i = after;
        }
        String lower = s.substring(i).toLowerCase(Locale.ROOT);
        int j;
        if (lower.startsWith("re")) {
            j = i + 2;
        } else if (lower.startsWith("fwd")) {
            j = i + 3;
        } else if (lower.startsWith("fw")) {
            j = i + 2;
        } else {
            return s;
        }
        while (j < s.length() && s.charAt(j) == ' ') {
            j++;
        }
        j = skipBlob(s, j);
        if (j < s.length() && s.charAt(j) == ':') {
            return s.substring(j + 1);
        }
        return s;
    }

    /** Removes a leading subj-blob unless that would leave an empty base subject. */
    private static String stripBlob(String s) {
        int after = skipBlob(s, 0);
        if (after == 0) {
            return s;
        }
        String rest = s.substring(after);
        return rest.isBlank() ? s : rest;
    }

    /** subj-blob = "[" *BLOBCHAR "]" *WSP, BLOBCHAR excluding "[" and "]"; returns i if none. */
    private static int skipBlob(String s, int i) {
        if (i >= s.length() || s.charAt(i) != '[') {
            return i;
        }
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != ']' && s.charAt(j) != '[') {
            j++;
        }
        if (j >= s.length() || s.charAt(j) != ']') {
            return i;
        }
        j++;
        while (j < s.length() && s.charAt(j) == ' ') {
            j++;
        }
        return j;
    }
}
