package org.postbus.smtp.internal;

import java.util.Locale;

/** What a listener is for. */
public enum Mode {
    /** Inbound mail from other servers, for local recipients; relaying only for authenticated clients. */
    MTA,
    /** Mail from this server's users: authentication required, sender checked (RFC 6409). */
    SUBMISSION;

    /** The mode named {@code text}, any case. */
    static Mode parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mode must be MTA or SUBMISSION, not '" + text + "'", e);
        }
    }
}
