package org.postbus.directory.internal;

import java.util.Locale;

/**
 * Rules for the names the directory stores: domain names and the local parts of account and
 * alias addresses.
 *
 * <p>Kept deliberately narrow (RFC 1035 letters, digits and hyphens) because these names end up
 * in SMTP envelopes, file paths of mail stores and log lines, where anything exotic is trouble.
 */
final class DomainNames {

    /** Longest domain name RFC 1035 allows in text form. */
    static final int MAX_LENGTH = 253;
    private static final int MAX_LABEL = 63;

    private DomainNames() {
    }

    /**
     * Lower-cases and checks a domain name.
     *
     * @return the name in lower case
     * @throws IllegalArgumentException saying what is wrong, in words fit for an administrator
     */
    static String normalize(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a domain name must not be empty");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("domain name longer than " + MAX_LENGTH + " characters: " + shown(name));
        }
        String[] labels = lower.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                throw new IllegalArgumentException("domain name has an empty label: " + shown(name));
            }
            if (label.length() > MAX_LABEL) {
                throw new IllegalArgumentException(
                        "domain label longer than " + MAX_LABEL + " characters: " + shown(name));
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ldh = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                if (!ldh) {
                    throw new IllegalArgumentException(
                            "domain name may hold only letters, digits, hyphens and dots: " + shown(name));
                }
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw new IllegalArgumentException("domain label starts or ends with a hyphen: " + shown(name));
            }
        }
        // An all-numeric last label is an IP address in disguise (RFC 3696, 2), never a domain.
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("domain name ends in a numeric label: " + shown(name));
        }
        return lower;
    }

    /** Whether {@code name} passes {@link #normalize}. */
    static boolean isValid(String name) {
        try {
            normalize(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Checks the local part of an address the directory owns (an account or alias source).
     * Remote alias targets are not checked this way: their syntax is the remote server's business.
     *
     * @throws IllegalArgumentException if it holds a control character, a space or an RFC 5322
     *     special, none of which a login name or dot-atom may contain
     */
    static void checkLocalPart(String localPart) {
        for (int i = 0; i < localPart.length(); i++) {
            char c = localPart.charAt(i);
            if (c <= ' ' || c == 0x7f || "<>()[]\\,;:@\"".indexOf(c) >= 0) {
                throw new IllegalArgumentException("local part may not contain spaces, control characters or "
                        + "any of <>()[]\\,;:@\": " + shown(localPart));
            }
        }
    }

    /** Quotes untrusted text for a message, escaping control characters so a log line stays one line. */
    static String shown(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('\'');
        int limit = Math.min(text.length(), 300);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (c < ' ' || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (limit < text.length()) {
            out.append("...");
        }
        return out.append('\'').toString();
    }
}
