package org.postbus.api.delivery;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link DeliveryFilter} decides about a message. Immutable; build it with the constants
 * and factory methods.
 *
 * <p>{@link Action#CONTINUE} passes the message on to the next filter, with any headers to add and
 * the folder to file it into (the last filter to name a folder wins). The other actions end the
 * pipeline: {@link Action#REJECT} and {@link Action#DEFER} answer the SMTP client with the given
 * reply; {@link Action#DISCARD} accepts the message and drops it silently.
 *
 * @param action what happens next
 * @param headers header fields to add to the message (only with {@code CONTINUE})
 * @param folder the mailbox to file into (only with {@code CONTINUE}); empty for INBOX
 * @param replyCode the SMTP reply code for {@code REJECT} (5xx) or {@code DEFER} (4xx); 0 otherwise
 * @param enhancedCode the RFC 3463 status code, such as {@code 5.7.1}; empty if none
 * @param replyText the reply text shown to the client; empty if none
 */
public record Verdict(Action action, List<Header> headers, Optional<String> folder,
        int replyCode, String enhancedCode, String replyText) {

    /** What the pipeline does with the message after a filter. */
    public enum Action {
        /** Go on to the next filter, then deliver. */
        CONTINUE,
        /** Refuse the message permanently (5xx). */
        REJECT,
        /** Refuse the message for now (4xx); the sender retries later. */
        DEFER,
        /** Accept the message and drop it without a trace in any mailbox. */
        DISCARD
    }

    /** Continue unchanged. */
    public static final Verdict CONTINUE =
            new Verdict(Action.CONTINUE, List.of(), Optional.empty(), 0, "", "");

    /** Accept and drop the message. */
    public static final Verdict DISCARD =
            new Verdict(Action.DISCARD, List.of(), Optional.empty(), 0, "", "");

    /** Checks that each action carries exactly what it may. */
    public Verdict {
        Objects.requireNonNull(action, "action");
        headers = List.copyOf(headers);
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(enhancedCode, "enhancedCode");
        Objects.requireNonNull(replyText, "replyText");
        switch (action) {
            case REJECT -> requireCode(replyCode, 500);
            case DEFER -> requireCode(replyCode, 400);
            default -> {
                if (replyCode != 0) {
                    throw new IllegalArgumentException(action + " carries no reply code");
                }
            }
        }
        if (action != Action.CONTINUE && (!headers.isEmpty() || folder.isPresent())) {
            throw new IllegalArgumentException("only CONTINUE adds headers or chooses a folder");
        }
    }

    private static void requireCode(int code, int base) {
        if (code < base || code >= base + 100) {
            throw new IllegalArgumentException("reply code must be " + (base / 100) + "xx: " + code);
        }
    }

    /** Continue, adding a header field. */
    public static Verdict addHeader(String name, String value) {
        return CONTINUE.withHeader(name, value);
    }

    /** Continue, filing the message into {@code folder} instead of INBOX. */
    public static Verdict fileInto(String folder) {
        return new Verdict(Action.CONTINUE, List.of(), Optional.of(folder), 0, "", "");
    }

    /** Refuse permanently, for example {@code reject(550, "5.7.1", "Message refused as spam")}. */
    public static Verdict reject(int replyCode, String enhancedCode, String text) {
        return new Verdict(Action.REJECT, List.of(), Optional.empty(), replyCode, enhancedCode, text);
    }

    /** Refuse for now, for example {@code defer(451, "4.7.1", "Greylisted, try again later")}. */
    public static Verdict defer(int replyCode, String enhancedCode, String text) {
        return new Verdict(Action.DEFER, List.of(), Optional.empty(), replyCode, enhancedCode, text);
    }

    /** This {@code CONTINUE} verdict with one more header field. */
    public Verdict withHeader(String name, String value) {
        if (action != Action.CONTINUE) {
            throw new IllegalStateException("only CONTINUE adds headers");
        }
        List<Header> more = new java.util.ArrayList<>(headers);
        more.add(new Header(name, value));
        return new Verdict(action, more, folder, 0, "", "");
    }
}
