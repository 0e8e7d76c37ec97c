package org.postbus.api.queue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.postbus.api.mail.MailAddress;

/**
 * A message in the outbound queue, as {@code bin/postbus queue list} shows it.
 *
 * @param id the queue identifier
 * @param sender the envelope sender; empty for a bounce
 * @param recipients the recipients not yet delivered
 * @param size the message size in bytes
 * @param queued when it entered the queue
 * @param attempts delivery attempts so far
 * @param nextAttempt when the next attempt is due
 * @param lastError the last temporary failure, for example {@code 451 4.4.1 Connection refused}
 */
public record QueueEntry(String id, Optional<MailAddress> sender, List<MailAddress> recipients,
        long size, Instant queued, int attempts, Instant nextAttempt, Optional<String> lastError) {

    /** Checks the parts and copies the list. */
    public QueueEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(queued, "queued");
        Objects.requireNonNull(nextAttempt, "nextAttempt");
        Objects.requireNonNull(lastError, "lastError");
    }
}
