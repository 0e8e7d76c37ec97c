package org.postbus.api.directory;

import java.time.Instant;
import java.util.Objects;

/**
 * A domain for which this server accepts mail.
 *
 * @param name the domain name in lower case, for example {@code example.org}
 * @param created when it was added
 */
public record Domain(String name, Instant created) {
    /** Checks the parts are present. */
    public Domain {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(created, "created");
    }
}
