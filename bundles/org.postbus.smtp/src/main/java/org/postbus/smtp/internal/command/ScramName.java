package org.postbus.smtp.internal.command;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The user name in a SCRAM client-first message (RFC 5802 7: {@code gs2-header n=saslname,...}),
 * read only so that the listener can refuse a locked account and log who tried: the directory
 * checks the message itself.
 */
final class ScramName {

    private ScramName() {
    }

    /** The user name, if the message is shaped like a client-first message. */
    static Optional<String> of(byte[] clientFirst) {
        String text = new String(clientFirst, StandardCharsets.UTF_8);
        int first = text.indexOf(',');
        int second = first < 0 ? -1 : text.indexOf(',', first + 1);
        if (second < 0 || !text.startsWith("n=", second + 1)) {
            return Optional.empty();
        }
        int end = text.indexOf(',', second + 1);
        String name = text.substring(second + 3, end < 0 ? text.length() : end);
        name = name.replace("=2C", ",").replace("=3D", "=");
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }
}
