package org.postbus.delivery.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.postbus.api.directory.Directory;
import org.postbus.api.directory.Recipients;
import org.postbus.api.mail.MailAddress;

/**
 * Where one message goes, once every envelope recipient is resolved through the directory.
 *
 * @param local the local accounts, each once, however many envelope recipients and aliases lead
 *     to it: they share one stored copy
 * @param remote the remote addresses, each once, from the envelope or alias targets
 * @param unknown envelope recipients that no one receives (the directory changed since RCPT)
 */
record Route(Set<MailAddress> local, Set<MailAddress> remote, List<MailAddress> unknown) {

    /** Copies the collections, keeping their order. */
    Route {
        local = Collections.unmodifiableSet(new LinkedHashSet<>(local));
        remote = Collections.unmodifiableSet(new LinkedHashSet<>(remote));
        unknown = List.copyOf(unknown);
    }

    /** Resolves every recipient; aliases come back expanded from {@link Directory#resolve}. */
    static Route resolve(Directory directory, List<MailAddress> recipients) {
        Set<MailAddress> local = new LinkedHashSet<>();
        Set<MailAddress> remote = new LinkedHashSet<>();
        List<MailAddress> unknown = new ArrayList<>();
        for (MailAddress recipient : recipients) {
            Recipients r = directory.resolve(recipient);
            if (r == null || r.isEmpty()) {
                unknown.add(recipient);
                continue;
            }
            local.addAll(sorted(r.local()));
            remote.addAll(sorted(r.remote()));
        }
        return new Route(local, remote, unknown);
    }

    /** Whether the message goes nowhere. */
    boolean isEmpty() {
        return local.isEmpty() && remote.isEmpty();
    }

    /** {@link Recipients} holds unordered sets: sort them so that logs and events are stable. */
    private static List<MailAddress> sorted(Set<MailAddress> addresses) {
        return addresses.stream().sorted(Comparator.comparing(MailAddress::toString)).toList();
    }
}
