package org.postbus.delivery.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.Constants;
import org.postbus.api.delivery.DeliveryFilter;
import org.postbus.api.delivery.Header;
import org.postbus.api.delivery.MailTransaction;
import org.postbus.api.delivery.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered {@link DeliveryFilter} services in calling order, and the run of one message
 * through them.
 *
 * <p>Order: descending {@code service.ranking}, ties broken by ascending {@code service.id}
 * (the order of {@code ServiceReference.compareTo}, highest first). Filters come and go while
 * messages pass: each run works on the list as it was when the run began.
 */
final class FilterChain {

    private static final Logger LOG = LoggerFactory.getLogger(FilterChain.class);

    /** A filter service and the properties that place it in the chain. */
    record Entry(DeliveryFilter filter, String name, int ranking, long serviceId) {
    }

    /**
     * What the filters decided.
     *
     * @param verdict the verdict that ended the chain, or, when every filter continued, a
     *     {@code CONTINUE} verdict with all headers to add (in calling order) and the folder the
     *     last filter to name one chose
     * @param decidedBy the name of the filter that ended the chain; empty when none did
     */
    record Outcome(Verdict verdict, Optional<String> decidedBy) {
    }

    private static final Comparator<Entry> ORDER = Comparator.comparingInt(Entry::ranking).reversed()
            .thenComparingLong(Entry::serviceId);

    private volatile List<Entry> entries = List.of();

    /** Adds a filter service with its service properties. */
    synchronized void add(DeliveryFilter filter, Map<String, ?> properties) {
        Entry entry = entry(filter, properties);
        List<Entry> next = new ArrayList<>(entries);
        next.removeIf(e -> e.serviceId() == entry.serviceId());
        next.add(entry);
        next.sort(ORDER);
        entries = List.copyOf(next);
        LOG.info("delivery filter {} added (ranking {})", entry.name(), entry.ranking());
    }

    /** Takes a filter's changed properties (its ranking or name) into account. */
    synchronized void update(DeliveryFilter filter, Map<String, ?> properties) {
        Entry entry = entry(filter, properties);
        List<Entry> next = new ArrayList<>(entries);
        next.removeIf(e -> e.serviceId() == entry.serviceId());
        next.add(entry);
        next.sort(ORDER);
        entries = List.copyOf(next);
    }

    /** Removes a filter service. */
    synchronized void remove(DeliveryFilter filter, Map<String, ?> properties) {
        long id = serviceId(filter, properties);
        List<Entry> next = new ArrayList<>(entries);
        if (next.removeIf(e -> e.serviceId() == id)) {
            entries = List.copyOf(next);
            LOG.info("delivery filter {} removed", name(filter, properties));
        }
    }

    /** The filters in calling order. */
    List<Entry> entries() {
        return entries;
    }

    /**
     * Passes a message through the filters until one ends the chain. A filter that throws, or
     * answers {@code null}, is logged and passed over: a broken plugin never loses mail.
     */
    Outcome run(MailTransaction transaction) {
        List<Header> headers = new ArrayList<>();
        Optional<String> folder = Optional.empty();
        for (Entry e : entries) {
            Verdict verdict;
            try {
                verdict = e.filter().filter(transaction);
            } catch (Exception | LinkageError failure) {
                // LinkageError: a filter whose bundle is being updated or uninstalled under us.
                LOG.warn("delivery filter {} failed on message {}; skipped: {}", e.name(), transaction.id(),
                        failure.toString(), failure);
                continue;
            }
            if (verdict == null) {
                LOG.warn("delivery filter {} returned no verdict for message {}; taken as CONTINUE", e.name(),
                        transaction.id());
                continue;
            }
            if (verdict.action() != Verdict.Action.CONTINUE) {
                return new Outcome(verdict, Optional.of(e.name()));
            }
            headers.addAll(verdict.headers());
            if (verdict.folder().isPresent()) {
                folder = verdict.folder();
            }
        }
        return new Outcome(new Verdict(Verdict.Action.CONTINUE, headers, folder, 0, "", ""), Optional.empty());
    }

    private static Entry entry(DeliveryFilter filter, Map<String, ?> properties) {
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        // OSGi: a service.ranking that is not an Integer counts as 0.
        int rank = ranking instanceof Integer i ? i : 0;
        return new Entry(filter, name(filter, properties), rank, serviceId(filter, properties));
    }

    private static String name(DeliveryFilter filter, Map<String, ?> properties) {
        Object name = properties.get(DeliveryFilter.NAME);
        return name instanceof String s && !s.isBlank() ? s : filter.getClass().getName();
    }

    private static long serviceId(DeliveryFilter filter, Map<String, ?> properties) {
        Object id = properties.get(Constants.SERVICE_ID);
        if (id instanceof Long l) {
            return l;
        }
        throw new IllegalArgumentException("filter " + name(filter, properties) + " has no service.id");
    }
}
