package org.postbus.delivery.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.postbus.api.delivery.DeliveryFilter;
import org.postbus.api.delivery.DeliveryResult;
import org.postbus.api.delivery.DeliveryService;
import org.postbus.api.delivery.Header;
import org.postbus.api.delivery.MailTransaction;
import org.postbus.api.delivery.Verdict;
import org.postbus.api.directory.Directory;
import org.postbus.api.event.DeliveryEvents;
import org.postbus.api.health.Health;
import org.postbus.api.health.HealthCheck;
import org.postbus.api.mail.Envelope;
import org.postbus.api.mail.EnvelopeRecipient;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.queue.OutboundQueue;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery pipeline: runs each received message through the {@link DeliveryFilter} services,
 * then stores it once for all its local recipients and hands it to the {@link OutboundQueue} for
 * the remote ones. Reports as the health check {@code delivery}.
 *
 * <p>Order of work, chosen so that a refusal costs nothing durable: resolve the recipients and
 * check that every service they need is present (else 451 before any filter runs), run the
 * filters, store locally, then queue. The answer is 250 only once the store and the queue have
 * both returned, that is once the message is on disk for everyone. If the queue fails after the
 * local copy is stored, the client is told to try again: its local recipients may then get the
 * message twice, which RFC 5321 (section 6.1) prefers to losing it.
 *
 * <p>Every collaborator is an optional dynamic reference held in an atomic (volatile) field and
 * read once per message: when one is missing the pipeline answers 4xx, and when it returns the
 * pipeline resumes, without a restart. The store and queue return only when the message is
 * durable, so the 250 that follows is safe.
 */
@Component(name = DeliveryComponent.PID, configurationPid = DeliveryComponent.PID,
        service = {DeliveryService.class, HealthCheck.class}, property = HealthCheck.NAME + "=delivery")
@Designate(ocd = DeliveryConfig.class)
public class DeliveryComponent implements DeliveryService, HealthCheck {

    /** Component name and configuration PID. */
    static final String PID = "org.postbus.delivery";

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryComponent.class);

    private final FilterChain filters = new FilterChain();
    // Atomic rather than plain volatile: a greedy reference binds a better service before it
    // unbinds the old one, so unbinding must clear the field only if it still holds that service.
    private final AtomicReference<Directory> directory = new AtomicReference<>();
    private final AtomicReference<MailStore> store = new AtomicReference<>();
    private final AtomicReference<OutboundQueue> queue = new AtomicReference<>();
    private final AtomicReference<EventAdmin> eventAdmin = new AtomicReference<>();
    private volatile boolean overQuotaPermanent;

    @Activate
    void activate(DeliveryConfig config) {
        configure(config);
    }

    @Modified
    void modified(DeliveryConfig config) {
        configure(config);
    }

    private void configure(DeliveryConfig config) {
        overQuotaPermanent = config.over_quota_permanent();
    }

    // ---- references ----

    @Reference(name = "filter", service = DeliveryFilter.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeFilter", updated = "updatedFilter")
    void addFilter(DeliveryFilter filter, Map<String, Object> properties) {
        filters.add(filter, properties);
    }

    void updatedFilter(DeliveryFilter filter, Map<String, Object> properties) {
        filters.update(filter, properties);
    }

    void removeFilter(DeliveryFilter filter, Map<String, Object> properties) {
        filters.remove(filter, properties);
    }

    @Reference(name = "directory", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetDirectory")
    void setDirectory(Directory service) {
        directory.set(service);
    }

    void unsetDirectory(Directory service) {
        directory.compareAndSet(service, null);
    }

    @Reference(name = "store", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetStore")
    void setStore(MailStore service) {
        store.set(service);
    }

    void unsetStore(MailStore service) {
        store.compareAndSet(service, null);
    }

    @Reference(name = "queue", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetQueue")
    void setQueue(OutboundQueue service) {
        queue.set(service);
    }

    void unsetQueue(OutboundQueue service) {
        queue.compareAndSet(service, null);
    }

    @Reference(name = "eventAdmin", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetEventAdmin")
    void setEventAdmin(EventAdmin service) {
        eventAdmin.set(service);
    }

    void unsetEventAdmin(EventAdmin service) {
        eventAdmin.compareAndSet(service, null);
    }

    // ---- delivery ----

    @Override
    public DeliveryResult deliver(MailTransaction transaction) {
        String id = transaction.id();
        Directory dir = directory.get();
        if (dir == null) {
            LOG.warn("message {} deferred: no directory", id);
            return Replies.directoryUnavailable(id);
        }
        List<MailAddress> recipients = transaction.recipients();
        if (recipients.isEmpty()) {
            return Replies.noRecipients(id);
        }
        Route route;
        try {
            route = Route.resolve(dir, recipients);
        } catch (RuntimeException e) {
            LOG.warn("message {} deferred: the directory failed: {}", id, e.toString(), e);
            return Replies.directoryUnavailable(id);
        }
        if (!route.unknown().isEmpty()) {
            // Checked at RCPT; the directory changed since.
            LOG.warn("message {}: no one receives mail for {}; left out", id, route.unknown());
        }
        if (route.isEmpty()) {
            return Replies.noSuchUsers(id);
        }
        MailStore mailStore = store.get();
        OutboundQueue outbound = queue.get();
        if (!route.local().isEmpty() && mailStore == null) {
            LOG.warn("message {} deferred: no mail store", id);
            return Replies.storeUnavailable(id);
        }
        if (!route.remote().isEmpty() && outbound == null) {
            LOG.warn("message {} deferred: remote recipients {} and no outbound queue", id, route.remote());
            return Replies.remoteUnavailable(id);
        }

        FilterChain.Outcome outcome = filters.run(transaction);
        Verdict verdict = outcome.verdict();
        String filter = outcome.decidedBy().orElse("");
        switch (verdict.action()) {
            case REJECT, DEFER -> {
                DeliveryResult refused = Replies.fromFilter(verdict, id);
                LOG.info("message {} refused by filter {}: {}", id, filter, Replies.line(refused));
                postFiltered(transaction, Replies.line(refused));
                return refused;
            }
            case DISCARD -> {
                LOG.info("message {} discarded by filter {}", id, filter);
                postFiltered(transaction, "discarded by filter " + filter);
                return DeliveryResult.accepted(id);
            }
            case CONTINUE -> {
                // on to routing
            }
        }

        Envelope envelope = transaction.envelope();
        boolean storedLocally = false;
        List<MailAddress> stored = List.of();
        if (!route.local().isEmpty()) {
            Local local = deliverLocally(transaction, route, verdict, mailStore);
            if (local.refusal().isPresent()) {
                return local.refusal().get();
            }
            stored = local.stored();
            storedLocally = true;
        }
        if (!route.remote().isEmpty()) {
            // Trace and filter headers travel on; Return-Path is added only at final delivery.
            MessageContent content = PrefixedContent.of(HeaderBlock.encode(verdict.headers()), transaction.content());
            try {
                String queued = outbound.enqueue(envelope.withRecipients(route.remoteRecipients(envelope)), content);
                LOG.debug("message {} queued as {} for {}", id, queued, route.remote());
            } catch (IOException | RuntimeException e) {
                LOG.error("message {} deferred: the outbound queue failed{}: {}", id,
                        storedLocally ? " after it was stored for the local recipients, who get it again on retry" : "",
                        e.toString(), e);
                return Replies.queueUnavailable(id);
            }
        }
        if (!stored.isEmpty()) {
            notifySuccess(transaction, envelope, route, stored, outbound);
        }
        return DeliveryResult.accepted(id);
    }

    /**
     * Asks the queue to tell the sender of the local deliveries it asked to hear of
     * (NOTIFY=SUCCESS, RFC 3461). The message is stored by now, so a failure here is logged
     * and the message still accepted: refusing it would deliver it twice.
     */
    private void notifySuccess(MailTransaction transaction, Envelope envelope, Route route, List<MailAddress> stored,
            OutboundQueue outbound) {
        List<EnvelopeRecipient> delivered = route.deliveredLocally(envelope, Set.copyOf(stored));
        if (delivered.isEmpty() || envelope.sender().isEmpty()) {
            return;
        }
        String id = transaction.id();
        if (outbound == null) {
            LOG.info("message {}: no outbound queue, so no delivery notice for {} as the sender asked", id,
                    delivered.stream().map(EnvelopeRecipient::address).toList());
            return;
        }
        try {
            outbound.notifyDelivered(envelope, delivered, transaction.content());
        } catch (IOException | RuntimeException e) {
            LOG.warn("message {}: the delivery notice for {} could not be queued: {}", id,
                    delivered.stream().map(EnvelopeRecipient::address).toList(), e.toString());
        }
    }

    /**
     * The outcome of local delivery.
     *
     * @param refusal the answer if delivery ends here
     * @param stored the accounts that got the message
     */
    private record Local(Optional<DeliveryResult> refusal, List<MailAddress> stored) {
    }

    /**
     * Stores the message once for every local recipient, with {@code Return-Path:} and the
     * filters' headers in front.
     *
     * @return the answer if delivery ends here, else whom it was stored for
     */
    private Local deliverLocally(MailTransaction transaction, Route route, Verdict verdict,
            MailStore mailStore) {
        String id = transaction.id();
        List<Header> prefix = new ArrayList<>();
        prefix.add(HeaderBlock.returnPath(transaction.sender()));
        prefix.addAll(verdict.headers());
        MessageContent content = PrefixedContent.of(HeaderBlock.encode(prefix), transaction.content());
        String folder = verdict.folder().orElse(MailStore.INBOX);
        Map<MailAddress, String> targets = new LinkedHashMap<>();
        route.local().forEach(user -> targets.put(user, folder));

        Map<MailAddress, Long> uids;
        try {
            uids = mailStore.deliver(targets, new AppendRequest(content, Flags.NONE, Instant.now()));
        } catch (StoreException e) {
            if (e.reason() == StoreException.Reason.OVER_QUOTA) {
                return new Local(overQuota(id, route, e.getMessage()), List.of());
            }
            LOG.warn("message {} deferred: the mail store failed ({}): {}", id, e.reason(), e.getMessage(), e);
            return new Local(Optional.of(Replies.storeUnavailable(id)), List.of());
        } catch (RuntimeException e) {
            LOG.error("message {} deferred: the mail store failed: {}", id, e.toString(), e);
            return new Local(Optional.of(Replies.storeUnavailable(id)), List.of());
        }
        if (uids.isEmpty()) {
            return new Local(overQuota(id, route, "no recipient has room"), List.of());
        }
        Set<MailAddress> skipped = new LinkedHashSet<>(route.local());
        skipped.removeAll(uids.keySet());
        if (!skipped.isEmpty()) {
            // SMTP has one answer after DATA for all recipients; only LMTP or a DSN could tell the
            // sender about these alone. The others have it, so the message is accepted.
            LOG.warn("message {} not stored for {}: over quota; stored for {}", id, skipped, uids.keySet());
        }
        List<MailAddress> stored = route.local().stream().filter(uids::containsKey).toList();
        LOG.debug("message {} stored for {} in {}", id, stored, folder);
        post(DeliveryEvents.DELIVERED, transaction, stored, content.size(), null);
        return new Local(Optional.empty(), stored);
    }

    /** No local recipient had room: refused, unless remote recipients still take the message. */
    private Optional<DeliveryResult> overQuota(String id, Route route, String why) {
        if (route.remote().isEmpty()) {
            LOG.info("message {} refused: mailbox full ({})", id, why);
            return Optional.of(Replies.mailboxFull(id, overQuotaPermanent));
        }
        LOG.warn("message {} not stored for {}: over quota ({}); goes to the remote recipients only", id,
                route.local(), why);
        return Optional.empty();
    }

    // ---- events ----

    private void postFiltered(MailTransaction transaction, String reason) {
        post(DeliveryEvents.FILTERED, transaction, transaction.recipients(), transaction.content().size(), reason);
    }

    /** Posts asynchronously: nothing in the delivery path waits for a listener. */
    private void post(String topic, MailTransaction transaction, Collection<MailAddress> recipients, long size,
            String reason) {
        EventAdmin admin = eventAdmin.get();
        if (admin == null) {
            return;
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put(DeliveryEvents.ID, transaction.id());
        properties.put(DeliveryEvents.SENDER, transaction.sender().map(MailAddress::toString).orElse(""));
        properties.put(DeliveryEvents.RECIPIENTS, recipients.stream().map(MailAddress::toString).toArray(String[]::new));
        properties.put(DeliveryEvents.SIZE, size);
        if (reason != null) {
            properties.put(DeliveryEvents.REASON, reason);
        }
        try {
            admin.postEvent(new Event(topic, properties));
        } catch (RuntimeException e) {
            // Event Admin stopping under us; the delivery itself is done.
            LOG.debug("event {} not posted: {}", topic, e.toString());
        }
    }

    // ---- health ----

    @Override
    public Health check() {
        List<String> missing = new ArrayList<>();
        if (directory.get() == null) {
            missing.add("directory");
        }
        if (store.get() == null) {
            missing.add("mail store");
        }
        String remote = queue.get() == null ? "no outbound queue (remote mail deferred)" : "outbound queue present";
        String chain = filters.entries().size() + " filter" + (filters.entries().size() == 1 ? "" : "s");
        if (!missing.isEmpty()) {
            return Health.down("missing " + String.join(" and ", missing) + ": mail is deferred with 451; "
                    + chain + "; " + remote);
        }
        return Health.up(chain + "; " + remote);
    }

    /** The filters in calling order; for tests. */
    List<FilterChain.Entry> filters() {
        return filters.entries();
    }
}
