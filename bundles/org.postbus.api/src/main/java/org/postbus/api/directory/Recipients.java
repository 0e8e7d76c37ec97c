package org.postbus.api.directory;

import java.util.Set;
import org.postbus.api.mail.MailAddress;

/**
 * Where mail for one envelope recipient goes, once aliases are expanded.
 *
 * @param local the local accounts that receive it (their own addresses)
 * @param remote addresses outside this server's domains that it is forwarded to
 */
public record Recipients(Set<MailAddress> local, Set<MailAddress> remote) {

    /** The resolution of an address that nobody receives. */
    public static final Recipients NONE = new Recipients(Set.of(), Set.of());

    /** Copies the sets. */
    public Recipients {
        local = Set.copyOf(local);
        remote = Set.copyOf(remote);
    }

    /** Whether no one receives mail for the address. */
    public boolean isEmpty() {
        return local.isEmpty() && remote.isEmpty();
    }
}
