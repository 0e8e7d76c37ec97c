package org.postbus.mime.internal.sort;

import java.util.List;
import org.postbus.mime.MimeMessage;
import org.postbus.mime.SortKeys;
import org.postbus.mime.internal.HeaderText;
import org.postbus.mime.internal.address.Address;
import org.postbus.mime.internal.imap.EnvelopeWriter;

/** The RFC 5256 and RFC 5957 sort keys of a message. */
public final class SortKeyExtractor {

    private SortKeyExtractor() {
    }

    public static SortKeys of(MimeMessage m) {
        Address from = first(m, "From");
        Address to = first(m, "To");
        Address cc = first(m, "Cc");
        return new SortKeys(BaseSubject.of(m.decodedHeader("Subject").orElse("")), m.sentDate(),
                mailbox(from), mailbox(to), mailbox(cc), display(from), display(to));
    }

    /**
     * The first address as ENVELOPE lists it: for a group, its start marker, whose addr-mailbox
     * is the group name (Dovecot sorts groups by that name too).
     */
    private static Address first(MimeMessage m, String field) {
        List<Address> list = EnvelopeWriter.addresses(m, field);
        return list.isEmpty() ? null : list.get(0);
    }

    private static String mailbox(Address a) {
        if (a == null || a.mailbox() == null || a.mailbox().equals("MISSING_MAILBOX")) {
            return "";
        }
        return HeaderText.decode(a.mailbox());
    }

    /** RFC 5957: the decoded display name when there is one, else the addr-spec. */
    private static String display(Address a) {
        if (a == null) {
            return "";
        }
        if (a.name() != null && !a.name().isBlank()) {
            return HeaderText.decode(a.name());
        }
        return a.addrSpec();
    }
}
