package org.postbus.store.file.internal;

import java.util.ArrayList;
import java.util.List;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.StoreException;

/**
 * Mailbox names: the canonical form (INBOX, as first level, in upper case whatever the case
 * given) and the rules a name must keep.
 */
final class MailboxNames {

    /** Longest name, in characters. */
    static final int MAX_LENGTH = 1000;
    /** Deepest hierarchy. */
    static final int MAX_DEPTH = 64;

    private static final char SEP = MailStore.HIERARCHY_SEPARATOR;

    private MailboxNames() {
    }

    /**
     * The canonical form of a valid name.
     *
     * @throws StoreException {@code INVALID_NAME} saying what is wrong
     */
    static String canonical(String name) throws StoreException {
        if (name == null || name.isEmpty()) {
            throw invalid(name, "it is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw invalid(name, "it is longer than " + MAX_LENGTH + " characters");
        }
        if (name.charAt(0) == SEP || name.charAt(name.length() - 1) == SEP) {
            throw invalid(name, "it starts or ends with '" + SEP + "'");
        }
        int depth = 1;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw invalid(name, "it contains a control character");
            }
            if (c == '*' || c == '%') {
                throw invalid(name, "it contains the wildcard '" + c + "'");
            }
            if (c == SEP) {
                if (name.charAt(i - 1) == SEP) {
                    throw invalid(name, "it has an empty level");
                }
                depth++;
            }
        }
        if (depth > MAX_DEPTH) {
            throw invalid(name, "it is deeper than " + MAX_DEPTH + " levels");
        }
        int first = name.indexOf(SEP);
        String top = first < 0 ? name : name.substring(0, first);
        if (top.equalsIgnoreCase(MailStore.INBOX) && !top.equals(MailStore.INBOX)) {
            return MailStore.INBOX + name.substring(top.length());
        }
        return name;
    }

    /** The ancestors of a canonical name, outermost first: {@code a}, {@code a/b} for {@code a/b/c}. */
    static List<String> parents(String name) {
        List<String> parents = new ArrayList<>();
        for (int i = name.indexOf(SEP); i >= 0; i = name.indexOf(SEP, i + 1)) {
            parents.add(name.substring(0, i));
        }
        return parents;
    }

    /** Whether {@code name} lies below {@code parent} in the hierarchy. */
    static boolean isBelow(String name, String parent) {
        return name.length() > parent.length() + 1 && name.startsWith(parent) && name.charAt(parent.length()) == SEP;
    }

    static boolean isInbox(String canonical) {
        return canonical.equals(MailStore.INBOX);
    }

    private static StoreException invalid(String name, String why) {
        String shown = name == null ? "(none)" : name.length() > 80 ? name.substring(0, 80) + "..." : name;
        return new StoreException(StoreException.Reason.INVALID_NAME,
                "mailbox name '" + shown.replaceAll("\\p{Cntrl}", "?") + "' is not allowed: " + why);
    }
}
