package org.postbus.api.directory;

import java.time.Instant;
import java.util.Objects;
import org.postbus.api.mail.MailAddress;

/**
 * A local account: a user who can log in and owns a mail store.
 *
 * @param address the account's own address, which is also its login name
 * @param quotaBytes storage quota in bytes, or {@link #UNLIMITED}
 * @param enabled whether the account may log in and receive mail
 * @param created when it was added
 */
public record Account(MailAddress address, long quotaBytes, boolean enabled, Instant created) {

    /** The quota of an account without a storage limit. */
    public static final long UNLIMITED = -1;

    /** Checks the parts are present. */
    public Account {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(created, "created");
    }

    /** The login name: the address as text. */
    public String username() {
        return address.toString();
    }
}
