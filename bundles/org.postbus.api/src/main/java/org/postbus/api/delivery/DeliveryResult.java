package org.postbus.api.delivery;

import java.util.Objects;

/**
 * The outcome of handing a received message to the delivery pipeline, as the SMTP session
 * answers it after DATA.
 *
 * @param outcome accepted, refused for good, or refused for now
 * @param replyCode the SMTP reply code: 250, a 5xx or a 4xx
 * @param enhancedCode the RFC 3463 code, such as {@code 2.0.0} or {@code 4.3.0}
 * @param text the reply text
 * @param id the delivery's identifier for logs and the client ({@code queued as ...})
 */
public record DeliveryResult(Outcome outcome, int replyCode, String enhancedCode, String text, String id) {

    /** What became of the message. */
    public enum Outcome {
        /** Durably stored or queued for every recipient (or discarded by a filter). */
        ACCEPTED,
        /** Refused permanently (5xx). */
        REJECTED,
        /** Refused for now (4xx); the client tries again later. */
        DEFERRED
    }

    /** Checks that the code matches the outcome. */
    public DeliveryResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(enhancedCode, "enhancedCode");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(id, "id");
        int expected = switch (outcome) {
            case ACCEPTED -> 2;
            case REJECTED -> 5;
            case DEFERRED -> 4;
        };
        if (replyCode / 100 != expected) {
            throw new IllegalArgumentException(outcome + " needs a " + expected + "xx reply code: " + replyCode);
        }
    }

    /** Accepted, {@code 250 2.0.0 OK: queued as ID}. */
    public static DeliveryResult accepted(String id) {
        return new DeliveryResult(Outcome.ACCEPTED, 250, "2.0.0", "OK: queued as " + id, id);
    }
}
