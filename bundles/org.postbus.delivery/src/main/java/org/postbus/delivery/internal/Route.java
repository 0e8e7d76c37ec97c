package org.postbus.delivery.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.postbus.api.directory.Directory;
import org.postbus.api.directory.Recipients;
import org.postbus.api.mail.DsnNotify;
import org.postbus.api.mail.Envelope;
import org.postbus.api.mail.EnvelopeRecipient;
import org.postbus.api.mail.MailAddress;

/**
 * Where one message goes, once every envelope recipient is resolved through the directory.
 *
 * @param local the local accounts, each once, however many envelope recipients and aliases lead
 *     to it: they share one stored copy
 * @param remote the remote addresses, each once, from the envelope or alias targets
 * @param unknown envelope recipients that no one receives (the directory changed since RCPT)
 * @param resolved each envelope recipient that someone receives, in envelope order, with where
 *     its mail goes
 */
record Route(Set<MailAddress> local, Set<MailAddress> remote, List<MailAddress> unknown,
        Map<MailAddress, Recipients> resolved) {

    /** Copies the collections, keeping their order. */
    Route {
        local = Collections.unmodifiableSet(new LinkedHashSet<>(local));
        remote = Collections.unmodifiableSet(new LinkedHashSet<>(remote));
        unknown = List.copyOf(unknown);
        resolved = Collections.unmodifiableMap(new LinkedHashMap<>(resolved));
    }

    /** Resolves every recipient; aliases come back expanded from {@link Directory#resolve}. */
    static Route resolve(Directory directory, List<MailAddress> recipients) {
        Set<MailAddress> local = new LinkedHashSet<>();
        Set<MailAddress> remote = new LinkedHashSet<>();
        List<MailAddress> unknown = new ArrayList<>();
        Map<MailAddress, Recipients> resolved = new LinkedHashMap<>();
        for (MailAddress recipient : recipients) {
            Recipients r = directory.resolve(recipient);
            if (r == null || r.isEmpty()) {
                unknown.add(recipient);
                continue;
            }
            resolved.putIfAbsent(recipient, r);
            local.addAll(sorted(r.local()));
            remote.addAll(sorted(r.remote()));
        }
        return new Route(local, remote, unknown, resolved);
    }

    /**
     * The remote recipients with the DSN parameters of the envelope recipient that led to each
     * (the first, if several did). An address reached through an alias gets the envelope
     * recipient as its ORCPT unless the client gave one, so that a notice names the address the
     * sender used (RFC 3461 section 6.2).
     */
    List<EnvelopeRecipient> remoteRecipients(Envelope envelope) {
        List<EnvelopeRecipient> result = new ArrayList<>();
        for (MailAddress address : remote) {
            MailAddress source = resolved.entrySet().stream()
                    .filter(e -> e.getValue().remote().contains(address)).map(Map.Entry::getKey)
                    .findFirst().orElse(address);
            EnvelopeRecipient asked = parameters(envelope, source);
            result.add(address.equals(source) ? asked : new EnvelopeRecipient(address, asked.notifyOn(),
                    asked.originalRecipient().or(() -> Optional.of("rfc822;" + source))));
        }
        return result;
    }

    /**
     * The envelope recipients that asked to hear of success (NOTIFY=SUCCESS) and whose local
     * accounts all got the message; recipients with remote targets too are left to the queue.
     */
    List<EnvelopeRecipient> deliveredLocally(Envelope envelope, Set<MailAddress> stored) {
        List<EnvelopeRecipient> result = new ArrayList<>();
        for (Map.Entry<MailAddress, Recipients> entry : resolved.entrySet()) {
            EnvelopeRecipient asked = parameters(envelope, entry.getKey());
            Recipients where = entry.getValue();
            if (asked.wants(DsnNotify.SUCCESS) && !where.local().isEmpty() && where.remote().isEmpty()
                    && stored.containsAll(where.local())) {
                result.add(asked);
            }
        }
        return result;
    }

    private static EnvelopeRecipient parameters(Envelope envelope, MailAddress address) {
        return envelope.recipients().stream().filter(r -> r.address().equals(address)).findFirst()
                .orElseGet(() -> EnvelopeRecipient.of(address));
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
