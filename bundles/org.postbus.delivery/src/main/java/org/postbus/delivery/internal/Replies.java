package org.postbus.delivery.internal;

import java.util.regex.Pattern;
import org.postbus.api.delivery.DeliveryResult;
import org.postbus.api.delivery.DeliveryResult.Outcome;
import org.postbus.api.delivery.Verdict;

/** The answers of the delivery pipeline, as the SMTP session gives them after DATA. */
final class Replies {

    /** Longest reply text passed on from a filter: an SMTP reply line holds 512 octets in all. */
    static final int MAX_TEXT = 400;

    private static final Pattern ENHANCED = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

    private Replies() {
    }

    static DeliveryResult directoryUnavailable(String id) {
        return new DeliveryResult(Outcome.DEFERRED, 451, "4.3.0", "Directory unavailable, try again later", id);
    }

    static DeliveryResult storeUnavailable(String id) {
        return new DeliveryResult(Outcome.DEFERRED, 451, "4.3.0", "Mail store unavailable, try again later", id);
    }

    static DeliveryResult remoteUnavailable(String id) {
        return new DeliveryResult(Outcome.DEFERRED, 451, "4.4.3",
                "Remote delivery not available yet, try again later", id);
    }

    static DeliveryResult queueUnavailable(String id) {
        return new DeliveryResult(Outcome.DEFERRED, 451, "4.3.0", "Outbound queue unavailable, try again later", id);
    }

    static DeliveryResult noRecipients(String id) {
        return new DeliveryResult(Outcome.REJECTED, 554, "5.5.1", "No valid recipients", id);
    }

    static DeliveryResult noSuchUsers(String id) {
        return new DeliveryResult(Outcome.REJECTED, 550, "5.1.1", "No such user here", id);
    }

    /**
     * No local recipient has room. RFC 3463 calls "mailbox full" (X.2.2) a persistent transient
     * failure, since the user can make room: by default the sender's server keeps trying.
     */
    static DeliveryResult mailboxFull(String id, boolean permanent) {
        return permanent
                ? new DeliveryResult(Outcome.REJECTED, 552, "5.2.2", "Mailbox full", id)
                : new DeliveryResult(Outcome.DEFERRED, 452, "4.2.2", "Mailbox full, try again later", id);
    }

    /**
     * A filter's {@code REJECT} or {@code DEFER}, made safe to send: the text becomes one line of
     * printable ASCII (a filter cannot inject reply lines), and a missing or mismatched enhanced
     * code becomes the undefined one of the reply's class.
     */
    static DeliveryResult fromFilter(Verdict verdict, String id) {
        boolean reject = verdict.action() == Verdict.Action.REJECT;
        int code = verdict.replyCode();
        String klass = String.valueOf(code / 100);
        String enhanced = verdict.enhancedCode().strip();
        if (!ENHANCED.matcher(enhanced).matches() || !enhanced.startsWith(klass)) {
            enhanced = klass + ".0.0";
        }
        String text = printable(verdict.replyText());
        if (text.isEmpty()) {
            text = reject ? "Message refused" : "Message deferred, try again later";
        }
        return new DeliveryResult(reject ? Outcome.REJECTED : Outcome.DEFERRED, code, enhanced, text, id);
    }

    /** The reply as one line, {@code 550 5.7.1 text}, for logs and events. */
    static String line(DeliveryResult result) {
        return result.replyCode() + " " + result.enhancedCode() + " " + result.text();
    }

    /** One line of printable US-ASCII, at most {@link #MAX_TEXT} characters. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_TEXT));
        for (int i = 0; i < text.length() && out.length() < MAX_TEXT; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(' ');
            } else if (!Character.isLowSurrogate(c)) {
                out.append('?');
            }
        }
        return out.toString().strip();
    }
}
