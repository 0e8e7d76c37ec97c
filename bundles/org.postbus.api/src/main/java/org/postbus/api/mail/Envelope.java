package org.postbus.api.mail;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The SMTP envelope of a message as its MAIL and RCPT commands gave it, with the extension
 * parameters that travel with the message to the next hop.
 *
 * @param sender the reverse-path; empty for the null sender {@code <>} (notifications)
 * @param recipients the recipients, in order; at least one
 * @param dsnReturn the {@code RET} parameter (RFC 3461), if given
 * @param envelopeId the {@code ENVID} parameter, xtext-decoded (RFC 3461), if given
 * @param requireTls whether {@code REQUIRETLS} (RFC 8689) was given: the message may only travel
 *     over TLS with a verified certificate to servers that offer REQUIRETLS
 * @param smtpUtf8 whether {@code SMTPUTF8} (RFC 6531) was given
 */
public record Envelope(Optional<MailAddress> sender, List<EnvelopeRecipient> recipients,
        Optional<DsnReturn> dsnReturn, Optional<String> envelopeId, boolean requireTls,
        boolean smtpUtf8) {

    /** Checks the parts and copies the list. */
    public Envelope {
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
        Objects.requireNonNull(dsnReturn, "dsnReturn");
        Objects.requireNonNull(envelopeId, "envelopeId");
    }

    /** A plain envelope: a sender and recipients without extension parameters. */
    public static Envelope of(Optional<MailAddress> sender, List<MailAddress> recipients) {
        return new Envelope(sender, recipients.stream().map(EnvelopeRecipient::of).toList(),
                Optional.empty(), Optional.empty(), false, false);
    }

    /** The recipients' addresses, in order. */
    public List<MailAddress> addresses() {
        return recipients.stream().map(EnvelopeRecipient::address).toList();
    }

    /** The same envelope with other recipients (for example, the remote ones only). */
    public Envelope withRecipients(List<EnvelopeRecipient> others) {
        return new Envelope(sender, others, dsnReturn, envelopeId, requireTls, smtpUtf8);
    }
}
