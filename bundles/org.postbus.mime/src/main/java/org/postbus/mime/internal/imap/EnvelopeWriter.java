package org.postbus.mime.internal.imap;

import java.util.List;
import java.util.Optional;
import org.postbus.mime.HeaderField;
import org.postbus.mime.MimeMessage;
import org.postbus.mime.internal.address.Address;
import org.postbus.mime.internal.address.AddressParser;

/** The ENVELOPE structure (RFC 9051 section 7.5.2), with header values raw as Dovecot sends them. */
public final class EnvelopeWriter {

    private EnvelopeWriter() {
    }

    public static void write(ImapWriter out, MimeMessage m) {
        out.raw('(');
        out.nstring(first(m, "Date")).raw(' ');
        subject(out, firstField(m, "Subject"));
        out.raw(' ');
        List<Address> from = addresses(m, "From");
        addressList(out, from);
        out.raw(' ');
        List<Address> sender = addresses(m, "Sender");
        addressList(out, sender.isEmpty() ? from : sender);
        out.raw(' ');
        List<Address> replyTo = addresses(m, "Reply-To");
        addressList(out, replyTo.isEmpty() ? from : replyTo);
        out.raw(' ');
        addressList(out, addresses(m, "To"));
        out.raw(' ');
        addressList(out, addresses(m, "Cc"));
        out.raw(' ');
        addressList(out, addresses(m, "Bcc"));
        out.raw(' ');
        out.nstring(first(m, "In-Reply-To")).raw(' ');
        out.nstring(first(m, "Message-ID"));
        out.raw(')');
    }

    /**
     * The subject made fit for humans the way Dovecot does: whitespace runs become one space and
     * the ends are trimmed; a value that had to be changed goes out as a literal.
     */
    private static void subject(ImapWriter out, HeaderField field) {
        if (field == null) {
            out.nil();
            return;
        }
        String subject = field.value();
        StringBuilder b = new StringBuilder(subject.length());
        boolean space = false;
        for (int i = 0; i < subject.length(); i++) {
            char c = subject.charAt(i);
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
        String human = b.toString();
        out.humanString(human, field.folded() || !human.equals(subject));
    }

    private static HeaderField firstField(MimeMessage m, String name) {
        for (HeaderField f : m.fields()) {
            if (f.is(name)) {
                return f;
            }
        }
        return null;
    }

    private static String first(MimeMessage m, String name) {
        List<String> values = m.header(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The addresses of the first field of that name; none when it is missing or empty. */
    public static List<Address> addresses(MimeMessage m, String name) {
        return Optional.ofNullable(first(m, name)).map(AddressParser::parse).orElse(List.of());
    }

    private static void addressList(ImapWriter out, List<Address> list) {
        if (list.isEmpty()) {
            out.nil();
            return;
        }
        out.raw('(');
        for (Address a : list) {
            out.raw('(').humanString(a.name(), false).raw(' ').nstring(a.route()).raw(' ')
                    .nstring(a.mailbox()).raw(' ').nstring(a.host()).raw(')');
        }
        out.raw(')');
    }
}
