package org.postbus.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.FlagUpdate.Mode;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.UidRange;

/**
 * Several sessions on one mailbox at once.
 *
 * <p>Semantics settled here: concurrent flag changes to the same message each get their own
 * MODSEQ (RFC 7162 section 3.1: "each STORE command performed on the same mailbox ... will get a
 * different mod-sequence value"), and a message's MODSEQ is that of its last change.
 */
abstract class ConcurrencyContract extends ContractSupport {

    static final int THREADS = 8;
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void concurrentAppendsGetDistinctUids() throws Exception {
        int perThread = 25;
        Mailbox shared = open(ALICE, MailStore.INBOX);
        List<List<MessageMeta>> results = runConcurrently(THREADS, TIMEOUT, t -> () -> {
            // half the threads share one handle, the others each have their own session
            Mailbox mailbox = t % 2 == 0 ? shared : open(ALICE, MailStore.INBOX);
            List<MessageMeta> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                mine.add(append(mailbox, message("thread " + t + " message " + i), Flags.NONE));
            }
            return mine;
        });

        Map<Long, String> byUid = new HashMap<>();
        for (int t = 0; t < THREADS; t++) {
            List<Long> mine = uidsOf(results.get(t));
            assertStrictlyAscending(mine, "UIDs seen by thread " + t + " (appends in one thread are ordered)");
            for (int i = 0; i < perThread; i++) {
                String previous = byUid.put(mine.get(i), "thread " + t + " message " + i);
                assertEquals(null, previous, "UID " + mine.get(i) + " given twice: to " + previous
                        + " and to thread " + t + " message " + i);
            }
        }
        assertEquals(new TreeSet<>(byUid.keySet()).stream().toList(), uids(shared),
                "uids() lists exactly the UIDs the appends returned");
        assertEquals(THREADS * perThread, shared.status().messages(), "message count after concurrent appends");
        assertTrue(shared.status().uidNext() > byUid.keySet().stream().mapToLong(Long::longValue).max().orElseThrow(),
                "UIDNEXT above every UID after concurrent appends");
        for (Map.Entry<Long, String> e : byUid.entrySet()) {
            assertContent(message(e.getValue()), shared, e.getKey(), e.getValue());
        }
    }

    @Test
    void changesThroughOneHandleShowInAnother() throws Exception {
        Mailbox first = open(ALICE, MailStore.INBOX);
        Mailbox second = open(ALICE, MailStore.INBOX);

        MessageMeta a = append(first, "appended through the first handle");
        assertEquals(List.of(a.uid()), uids(second), "the second handle lists the new message");
        assertEquals(1, second.status().messages(), "the second handle counts the new message");
        assertContent(message("appended through the first handle"), second, a.uid(), "read through the second handle");

        MessageMeta changed = update(second, Mode.ADD, flags(Set.of(Flag.SEEN), "$Read"), a.uid()).get(0);
        assertEquals(Seen.of(changed), Seen.of(meta(first, a.uid())), "the first handle sees the flag change");
        assertEquals(second.status().highestModSeq(), first.status().highestModSeq(), "both see one HIGHESTMODSEQ");
        assertEquals(0, first.status().unseen(), "the first handle counts the message as seen");

        MessageMeta b = append(second, "appended through the second handle", Flag.DELETED);
        long before = first.status().highestModSeq();
        assertEquals(List.of(b.uid()), first.expunge(null), "the first handle expunges the second's message");
        assertEquals(List.of(a.uid()), uids(second), "the second handle no longer lists it");
        assertEquals(List.of(b.uid()), second.expungedSince(before), "the second handle sees it vanish");
        assertEquals(uidsOf(changedSince(first, 0)), uidsOf(changedSince(second, 0)), "both list the same messages");
    }

    @Test
    void concurrentKeywordChangesLoseNothing() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        List<Long> messages = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            messages.add(append(inbox, "m" + i).uid());
        }

        List<List<MessageMeta>> results = runConcurrently(THREADS, TIMEOUT, t -> () -> {
            Mailbox session = open(ALICE, MailStore.INBOX);
            List<MessageMeta> returned = new ArrayList<>();
            for (long uid : messages) {
                returned.addAll(update(session, Mode.ADD, keywords("$K" + t), uid));
            }
            returned.addAll(session.updateFlags(List.of(UidRange.ALL), FlagUpdate.of(Mode.ADD, keywords("$All" + t))));
            return returned;
        });

        Set<String> expected = new TreeSet<>();
        for (int t = 0; t < THREADS; t++) {
            expected.add("$K" + t);
            expected.add("$All" + t);
        }
        Map<Long, Set<Long>> modSeqsByUid = new HashMap<>();
        Map<Long, Integer> changesByUid = new HashMap<>();
        for (List<MessageMeta> returned : results) {
            for (MessageMeta m : returned) {
                modSeqsByUid.computeIfAbsent(m.uid(), u -> new HashSet<>()).add(m.modSeq());
                changesByUid.merge(m.uid(), 1, Integer::sum);
            }
        }
        for (long uid : messages) {
            MessageMeta now = meta(inbox, uid);
            assertEquals(new Flags(Set.of(), expected), now.flags(), "UID " + uid + " has every thread's keywords");
            assertEquals(2 * THREADS, changesByUid.getOrDefault(uid, 0),
                    "each of the " + (2 * THREADS) + " changes to UID " + uid + " was returned");
            assertEquals(2 * THREADS, modSeqsByUid.get(uid).size(),
                    "concurrent changes to UID " + uid + " each got their own MODSEQ: " + modSeqsByUid.get(uid));
            assertEquals(modSeqsByUid.get(uid).stream().mapToLong(Long::longValue).max().orElseThrow(), now.modSeq(),
                    "UID " + uid + " carries the MODSEQ of its last change");
        }
        assertEquals(modSeqsByUid.values().stream().flatMap(Set::stream).mapToLong(Long::longValue).max().orElseThrow(),
                inbox.status().highestModSeq(), "HIGHESTMODSEQ is the last change's");
    }
}
