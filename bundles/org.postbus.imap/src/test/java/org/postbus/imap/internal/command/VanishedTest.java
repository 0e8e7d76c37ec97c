package org.postbus.imap.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxStatus;
import org.postbus.api.store.UidRange;

class VanishedTest {

    /** A mailbox holding UIDs 3, 4, 9 of 1..11 whose store remembers expunges after MODSEQ 50 only. */
    private static Mailbox box(List<Long> expungedAfter50) {
        return (Mailbox) Proxy.newProxyInstance(VanishedTest.class.getClassLoader(), new Class<?>[] {Mailbox.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "expungeHistoryFrom" -> 50L;
                    case "expungedSince" -> expungedAfter50;
                    case "uids" -> new long[] {3, 4, 9};
                    case "status" -> new MailboxStatus(3, 0, 0, 12, 1, 80, 300, 0);
                    default -> throw new AssertionError(method.getName() + " is not used");
                });
    }

    @Test
    void withinTheHistoryTheStoreListIsUsed() throws Exception {
        Mailbox box = box(List.of(5L, 6L, 7L, 10L));
        assertEquals("5:7,10", Vanished.format(Vanished.since(box, 60, null)));
        assertEquals("6:7", Vanished.format(Vanished.since(box, 60, List.of(new UidRange(6, 8)))));
    }

    @Test
    void beforeTheHistoryEveryMissingUidBelowUidNextIsReported() throws Exception {
        Mailbox box = box(List.of(10L));
        assertEquals("1:2,5:8,10:11", Vanished.format(Vanished.since(box, 10, null)));
        // the client's known UIDs limit it, * (Long.MAX_VALUE) included
        assertEquals("2,5:6,10:11", Vanished.format(Vanished.since(box, 10,
                List.of(new UidRange(5, 6), new UidRange(2, 3), new UidRange(10, Long.MAX_VALUE)))));
        assertEquals("7:8,10:11", Vanished.format(Vanished.above(Vanished.since(box, 10, null), 6)));
    }

    @Test
    void gapsOfAnEmptyAndOfAFullMailbox() {
        assertEquals("1:4", Vanished.format(Vanished.gaps(new long[0], 5)));
        assertEquals("", Vanished.format(Vanished.gaps(new long[] {1, 2, 3}, 4)));
        assertEquals("", Vanished.format(Vanished.gaps(new long[0], 1)));
    }
}
