package org.postbus.admin.internal.migrate;

/** What a keyword may be, as IMAP writes it (an atom, RFC 9051 section 9). */
final class Keywords {

    private Keywords() {
    }

    /** Whether {@code keyword} can be stored as a keyword. */
    static boolean valid(String keyword) {
        if (keyword.isEmpty() || keyword.length() > 255 || keyword.charAt(0) == '\\') {
            return false;
        }
        for (int i = 0; i < keyword.length(); i++) {
            char c = keyword.charAt(i);
            if (c <= ' ' || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
