package org.postbus.api.mail;

import java.util.Locale;
import java.util.Objects;

/**
 * A mailbox address, {@code local-part@domain}, as used in SMTP envelopes and the directory.
 *
 * <p>The domain is kept in lower case (domains compare without case); the local part is kept as
 * given, since RFC 5321 lets a server treat it as case-sensitive, but {@link #equals} and
 * {@link #hashCode} ignore its case, as every mail server in practice does.
 *
 * @param localPart the part before the last {@code @}; not empty
 * @param domain the part after the last {@code @}; not empty, lower case
 */
public record MailAddress(String localPart, String domain) {

    /** Longest address RFC 5321 allows in a path (section 4.5.3.1.3, less the brackets). */
    public static final int MAX_LENGTH = 254;

    /**
     * Creates an address, lowering the domain's case.
     *
     * @throws IllegalArgumentException if a part is empty or the whole is too long
     */
    public MailAddress {
        Objects.requireNonNull(localPart, "localPart");
        Objects.requireNonNull(domain, "domain");
        if (localPart.isEmpty() || domain.isEmpty()) {
            throw new IllegalArgumentException("an address needs a local part and a domain");
        }
        domain = domain.toLowerCase(Locale.ROOT);
        if (localPart.length() + 1 + domain.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("address longer than " + MAX_LENGTH + " characters");
        }
    }

    /**
     * Parses {@code local@domain}, splitting at the last {@code @}.
     *
     * @param text the address, without angle brackets
     * @return the address
     * @throws IllegalArgumentException if {@code text} is not of that form
     */
    public static MailAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.strip();
        int at = trimmed.lastIndexOf('@');
        if (at <= 0 || at == trimmed.length() - 1) {
            throw new IllegalArgumentException("not an address of the form local@domain: " + text);
        }
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '<' || c == '>') {
                throw new IllegalArgumentException("address contains a forbidden character: " + text);
            }
        }
        return new MailAddress(trimmed.substring(0, at), trimmed.substring(at + 1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MailAddress other
                && localPart.equalsIgnoreCase(other.localPart)
                && domain.equals(other.domain);
    }

    @Override
    public int hashCode() {
        return localPart.toLowerCase(Locale.ROOT).hashCode() * 31 + domain.hashCode();
    }

    /** Returns {@code local@domain}. */
    @Override
    public String toString() {
        return localPart + '@' + domain;
    }
}
