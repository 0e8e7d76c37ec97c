package org.postbus.delivery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postbus.api.delivery.DeliveryFilter;
import org.postbus.api.delivery.Header;
import org.postbus.api.delivery.Verdict;

/** The filters' order and how their verdicts combine. */
class FilterChainTest {

    private final FilterChain chain = new FilterChain();
    private final List<String> calls = new ArrayList<>();

    static Map<String, Object> props(String name, Object ranking, long serviceId) {
        Map<String, Object> p = new HashMap<>();
        p.put(DeliveryFilter.NAME, name);
        if (ranking != null) {
            p.put("service.ranking", ranking);
        }
        p.put("service.id", serviceId);
        return p;
    }

    private DeliveryFilter recording(String name, Verdict verdict) {
        return t -> {
            calls.add(name);
            return verdict;
        };
    }

    private void add(String name, Object ranking, long id, Verdict verdict) {
        chain.add(recording(name, verdict), props(name, ranking, id));
    }

    @Test
    void filtersRunInDescendingRankingThenAscendingServiceId() {
        add("low", -100, 1, Verdict.CONTINUE);
        add("high", 1000, 9, Verdict.CONTINUE);
        add("tieLater", 10, 7, Verdict.CONTINUE);
        add("tieEarlier", 10, 3, Verdict.CONTINUE);
        add("unranked", null, 2, Verdict.CONTINUE);
        add("notAnInteger", "500", 4, Verdict.CONTINUE);

        chain.run(TestTransaction.to("bob@example.org"));

        assertEquals(List.of("high", "tieEarlier", "tieLater", "unranked", "notAnInteger", "low"), calls);
    }

    @Test
    void headersAccumulateInCallingOrderAndTheLastFolderWins() {
        add("auth", 300, 1, Verdict.addHeader("Authentication-Results", "mx; spf=pass"));
        add("spam", 200, 2, Verdict.fileInto("Junk").withHeader("X-Spam-Status", "Yes"));
        add("sieve", 100, 3, Verdict.fileInto("Lists/postbus"));
        add("stamp", 0, 4, Verdict.addHeader("X-Stamp", "1").withHeader("X-Stamp", "2"));

        FilterChain.Outcome outcome = chain.run(TestTransaction.to("bob@example.org"));

        assertEquals(Verdict.Action.CONTINUE, outcome.verdict().action());
        assertEquals(List.of(new Header("Authentication-Results", "mx; spf=pass"), new Header("X-Spam-Status", "Yes"),
                new Header("X-Stamp", "1"), new Header("X-Stamp", "2")), outcome.verdict().headers());
        assertEquals(Optional.of("Lists/postbus"), outcome.verdict().folder());
        assertEquals(Optional.empty(), outcome.decidedBy());
    }

    @Test
    void rejectEndsTheChain() {
        add("first", 10, 1, Verdict.addHeader("X-A", "1"));
        Verdict reject = Verdict.reject(550, "5.7.1", "Spam");
        add("spam", 5, 2, reject);
        add("never", 1, 3, Verdict.CONTINUE);

        FilterChain.Outcome outcome = chain.run(TestTransaction.to("bob@example.org"));

        assertSame(reject, outcome.verdict());
        assertEquals(Optional.of("spam"), outcome.decidedBy());
        assertEquals(List.of("first", "spam"), calls);
    }

    @Test
    void deferAndDiscardEndTheChain() {
        add("grey", 10, 1, Verdict.defer(451, "4.7.1", "Greylisted"));
        add("never", 1, 2, Verdict.CONTINUE);
        assertEquals(Verdict.Action.DEFER, chain.run(TestTransaction.to("bob@example.org")).verdict().action());

        FilterChain other = new FilterChain();
        other.add(recording("drop", Verdict.DISCARD), props("drop", 1, 3));
        other.add(recording("never", Verdict.CONTINUE), props("never", 0, 4));
        assertEquals(Verdict.Action.DISCARD, other.run(TestTransaction.to("bob@example.org")).verdict().action());
        assertEquals(List.of("grey", "drop"), calls);
    }

    @Test
    void aThrowingFilterIsSkipped() {
        add("before", 30, 1, Verdict.addHeader("X-Before", "1"));
        chain.add(t -> {
            calls.add("broken");
            throw new IllegalStateException("plugin bug");
        }, props("broken", 20, 2));
        chain.add(t -> {
            calls.add("checked");
            throw new java.io.IOException("DNS down");
        }, props("checked", 15, 3));
        chain.add(t -> {
            calls.add("unloaded");
            throw new NoClassDefFoundError("org/example/Gone");
        }, props("unloaded", 12, 4));
        add("after", 10, 5, Verdict.addHeader("X-After", "1"));

        FilterChain.Outcome outcome = chain.run(TestTransaction.to("bob@example.org"));

        assertEquals(List.of("before", "broken", "checked", "unloaded", "after"), calls);
        assertEquals(List.of(new Header("X-Before", "1"), new Header("X-After", "1")), outcome.verdict().headers());
    }

    @Test
    void aNullVerdictCountsAsContinue() {
        add("null", 10, 1, null);
        add("after", 5, 2, Verdict.fileInto("Archive"));

        FilterChain.Outcome outcome = chain.run(TestTransaction.to("bob@example.org"));

        assertEquals(List.of("null", "after"), calls);
        assertEquals(Optional.of("Archive"), outcome.verdict().folder());
    }

    @Test
    void aChangedRankingReordersAndRemovalTakesTheFilterOut() {
        DeliveryFilter a = recording("a", Verdict.CONTINUE);
        DeliveryFilter b = recording("b", Verdict.CONTINUE);
        chain.add(a, props("a", 10, 1));
        chain.add(b, props("b", 5, 2));
        chain.update(b, props("b", 50, 2));
        chain.run(TestTransaction.to("bob@example.org"));
        assertEquals(List.of("b", "a"), calls);

        chain.remove(b, props("b", 50, 2));
        calls.clear();
        chain.run(TestTransaction.to("bob@example.org"));
        assertEquals(List.of("a"), calls);
        assertEquals(1, chain.entries().size());
    }

    @Test
    void aFilterWithoutANameIsNamedByItsClass() {
        Map<String, Object> p = props("x", 0, 1);
        p.remove(DeliveryFilter.NAME);
        DeliveryFilter f = t -> Verdict.CONTINUE;
        chain.add(f, p);
        assertTrue(chain.entries().get(0).name().startsWith(FilterChainTest.class.getName()));
    }
}
