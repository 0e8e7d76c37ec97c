package org.postbus.api.directory;

import java.util.List;
import java.util.Objects;
import org.postbus.api.mail.MailAddress;

/**
 * An alias: mail for {@code source} goes to every address in {@code targets}, local or remote.
 *
 * <p>A catch-all alias has the source {@code @domain}: it receives mail for every address of the
 * domain that is neither an account nor another alias.
 *
 * @param source {@code local@domain}, or {@code @domain} for a catch-all; domain in lower case
 * @param targets where the mail goes; at least one
 */
public record Alias(String source, List<MailAddress> targets) {

    /** Checks the parts and copies the target list. */
    public Alias {
        Objects.requireNonNull(source, "source");
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("an alias needs at least one target");
        }
    }

    /** Whether this alias catches all otherwise unknown addresses of its domain. */
    public boolean isCatchAll() {
        return source.startsWith("@");
    }

    /** The domain part of the source. */
    public String domain() {
        return source.substring(source.lastIndexOf('@') + 1);
    }
}
