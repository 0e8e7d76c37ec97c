package org.postbus.smtp.internal.command;

import java.util.List;
import java.util.Optional;
import org.postbus.api.directory.Directory;
import org.postbus.smtp.internal.session.SmtpSession;

/**
 * The directory's SASL mechanisms as EHLO lists them, remembered for a moment per listener, so
 * that the EHLO of nearly every connection needs no directory call and can be answered on the
 * network I/O thread. Only a worker asks the directory; a new directory service is asked anew.
 */
final class SaslOffer {

    /** How long an answer is used before a worker asks again. */
    static final long FRESH_NANOS = 1_000_000_000L;

    private record Answer(Directory directory, List<String> mechanisms, long askedAt) {
    }

    private volatile Answer answer;

    /**
     * The mechanisms remembered for the session's directory, if asked within {@code maxAgeNanos}.
     */
    Optional<List<String>> remembered(SmtpSession session, long maxAgeNanos) {
        Answer known = answer;
        Directory directory = session.services().directory().orElse(null);
        if (known == null || directory == null || known.directory() != directory
                || System.nanoTime() - known.askedAt() - maxAgeNanos > 0) {
            return Optional.empty();
        }
        return Optional.of(known.mechanisms());
    }

    /** Asks the directory, which may block, and remembers its answer. */
    List<String> ask(SmtpSession session) {
        Optional<Directory> directory = session.services().directory();
        List<String> mechanisms = AuthCommand.saslMechanisms(session);
        directory.ifPresent(d -> answer = new Answer(d, mechanisms, System.nanoTime()));
        return mechanisms;
    }
}
