package org.postbus.mime;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;
import org.postbus.mime.internal.sort.BaseSubject;

/**
 * What the threading algorithms need of one message.
 *
 * @param id the message's id in the result (a sequence number or UID; must not be 0)
 * @param messageId the normalised Message-ID, if any
 * @param references the parent ids: References, else In-Reply-To (see {@link MimeMessage#references()})
 * @param baseSubject the RFC 5256 base subject
 * @param date the sent date, else the internal date
 * @param replyOrForward the subject had a reply or forward marker ("Re:", "Fwd:", "(fwd)"), which
 *     RFC 5256 step 5 uses when it merges threads by subject
 */
@ProviderType
public record ThreadInput(long id, Optional<String> messageId, List<String> references, String baseSubject,
        Instant date, boolean replyOrForward) {

    /** Copies the list and checks for nulls. */
    public ThreadInput {
        Objects.requireNonNull(messageId, "messageId");
        references = List.copyOf(references);
        Objects.requireNonNull(baseSubject, "baseSubject");
        Objects.requireNonNull(date, "date");
    }

    /** An input whose subject is not known to be a reply or forward. */
    public ThreadInput(long id, Optional<String> messageId, List<String> references, String baseSubject,
            Instant date) {
        this(id, messageId, references, baseSubject, date, false);
    }

    /**
     * The threading input of a parsed message.
     *
     * @param internalDate used when the message has no readable Date: header
     */
    public static ThreadInput of(long id, MimeMessage message, Instant internalDate) {
        String subject = message.decodedHeader("Subject").orElse("");
        return new ThreadInput(id, message.messageId(), message.references(), BaseSubject.of(subject),
                message.sentDate().orElse(internalDate), BaseSubject.isReplyOrForward(subject));
    }
}
