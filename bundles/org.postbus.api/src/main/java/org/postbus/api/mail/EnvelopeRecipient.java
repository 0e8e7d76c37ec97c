package org.postbus.api.mail;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One envelope recipient with the delivery status notification parameters its RCPT carried.
 *
 * @param address the recipient
 * @param notifyOn the {@code NOTIFY} values; empty when the client gave none (then failures and
 *     delays are reported, as without DSN); {@link DsnNotify#NEVER} only alone
 * @param originalRecipient the {@code ORCPT} value as given, {@code addr-type;xtext-decoded
 *     address} (for example {@code rfc822;bob@example.org}), if any
 */
public record EnvelopeRecipient(MailAddress address, Set<DsnNotify> notifyOn,
        Optional<String> originalRecipient) {

    /** Checks the parts and copies the set. */
    public EnvelopeRecipient {
        Objects.requireNonNull(address, "address");
        notifyOn = Set.copyOf(notifyOn);
        Objects.requireNonNull(originalRecipient, "originalRecipient");
        if (notifyOn.contains(DsnNotify.NEVER) && notifyOn.size() > 1) {
            throw new IllegalArgumentException("NOTIFY=NEVER cannot be combined with other values");
        }
    }

    /** A recipient without DSN parameters. */
    public static EnvelopeRecipient of(MailAddress address) {
        return new EnvelopeRecipient(address, Set.of(), Optional.empty());
    }

    /** Whether the sender wants to hear of this recipient's outcome {@code kind}. */
    public boolean wants(DsnNotify kind) {
        if (notifyOn.isEmpty()) {
            return kind == DsnNotify.FAILURE || kind == DsnNotify.DELAY;
        }
        return notifyOn.contains(kind);
    }
}
