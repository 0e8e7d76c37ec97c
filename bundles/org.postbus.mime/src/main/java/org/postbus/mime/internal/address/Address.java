package org.postbus.mime.internal.address;

/**
 * One element of an address list the way IMAP's ENVELOPE lists it: a mailbox, or the start
 * ({@code mailbox} = group name, {@code host} = null) or end (all null) of a group. Values are raw:
 * RFC 2047 encoded words in names are left encoded.
 */
public record Address(String name, String route, String mailbox, String host) {

    static final String MISSING_MAILBOX = "MISSING_MAILBOX";
    static final String MISSING_DOMAIN = "MISSING_DOMAIN";

    static Address groupStart(String name) {
        return new Address(null, null, name, null);
    }

    static Address groupEnd() {
        return new Address(null, null, null, null);
    }

    /** Whether this marks the start or end of a group rather than a mailbox. */
    public boolean isGroupMarker() {
        return host == null;
    }

    /** {@code mailbox@host}, or the mailbox alone when the host is missing. */
    public String addrSpec() {
        if (mailbox == null) {
            return "";
        }
        if (host == null || host.equals(MISSING_DOMAIN) || host.equals("SYNTAX_ERROR")) {
            return mailbox.equals(MISSING_MAILBOX) ? "" : mailbox;
        }
        return (mailbox.equals(MISSING_MAILBOX) ? "" : mailbox) + "@" + host;
    }
}
