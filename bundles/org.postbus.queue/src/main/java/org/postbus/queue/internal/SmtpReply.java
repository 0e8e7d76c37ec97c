package org.postbus.queue.internal;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reply from a remote SMTP server: the code and its lines (text without the code).
 */
record SmtpReply(int code, List<String> lines) {

    private static final Pattern ENHANCED = Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3})\\b");

    SmtpReply {
        lines = List.copyOf(lines);
    }

    boolean positive() {
        return code >= 200 && code < 400;
    }

    boolean permanent() {
        return code >= 500;
    }

    /** The RFC 2034 enhanced status code at the start of the first line, if the server sent one. */
    Optional<String> enhancedCode() {
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = ENHANCED.matcher(lines.get(0));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** {@code 550 5.1.1 no such user}, lines joined with spaces. */
    @Override
    public String toString() {
        return code + " " + String.join(" ", lines);
    }
}
