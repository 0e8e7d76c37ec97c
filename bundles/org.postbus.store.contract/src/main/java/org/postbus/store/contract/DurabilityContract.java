package org.postbus.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate.Mode;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxInfo;
import org.postbus.api.store.MailboxStatus;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.Quota;
import org.postbus.api.store.SpecialUse;
import org.postbus.api.store.UidRange;

/**
 * Restarts, clean and after a crash.
 *
 * <p>Semantics settled here: after a clean restart every mailbox, message, flag, MODSEQ, UIDNEXT,
 * HIGHESTMODSEQ, expunged UID (for VANISHED) and quota usage is exactly as before; after a crash
 * the same holds for everything a call returned successfully, except that UIDNEXT and
 * HIGHESTMODSEQ may have moved up (never down). Messages whose append had not returned when the
 * store crashed may be present or absent, but never partly: each one listed is whole.
 */
abstract class DurabilityContract extends ContractSupport {

    /** A mailbox as a client sees it. */
    record BoxState(MailboxInfo info, Counters counters, long uidValidity, long uidNext, long highestModSeq,
            List<Seen> messages, Map<Long, String> digests, List<Long> vanished) {
    }

    @Test
    void cleanRestartKeepsEverything() throws Exception {
        buildHistory();
        Map<MailAddress, Map<String, BoxState>> before = snapshot(ALICE, BOB);
        Map<MailAddress, Quota> quotasBefore = quotas(ALICE, BOB);

        fixture().reopen();

        compare(before, snapshot(ALICE, BOB), true, "after a clean restart");
        assertEquals(quotasBefore, quotas(ALICE, BOB), "quota usage after a clean restart");
        continueAfterRestart(before.get(ALICE).get(MailStore.INBOX), "after a clean restart");
    }

    @Test
    void crashKeepsEverythingAcknowledged() throws Exception {
        buildHistory();
        Map<MailAddress, Map<String, BoxState>> before = snapshot(ALICE, BOB);
        Map<MailAddress, Quota> quotasBefore = quotas(ALICE, BOB);

        fixture().crashAndReopen();

        Map<MailAddress, Map<String, BoxState>> recovered = snapshot(ALICE, BOB);
        compare(before, recovered, false, "after a crash");
        assertEquals(quotasBefore, quotas(ALICE, BOB), "quota usage after a crash");
        continueAfterRestart(recovered.get(ALICE).get(MailStore.INBOX), "after a crash");

        // a second crash right after acknowledged changes: recovery must hold for recovered state too
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        long first = inbox.uids()[0];
        update(inbox, Mode.ADD, keywords("$AfterCrash"), first);
        Map<MailAddress, Map<String, BoxState>> beforeSecond = snapshot(ALICE, BOB);
        fixture().crashAndReopen();
        compare(beforeSecond, snapshot(ALICE, BOB), false, "after a second crash");
        assertTrue(meta(open(ALICE, MailStore.INBOX), first).flags().keywords().contains("$AfterCrash"),
                "the flag change acknowledged just before the second crash survives it");
    }

    @Test
    void crashDuringConcurrentAppendsLosesNothingAcknowledged() throws Exception {
        int threads = 8;
        Mailbox setup = open(ALICE, MailStore.INBOX);
        Map<String, byte[]> attempted = new ConcurrentHashMap<>();
        List<MessageMeta> earlier = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] bytes = numbered("early-" + i, 300);
            attempted.put("early-" + i, bytes);
            earlier.add(append(setup, bytes, i % 2 == 0 ? Flags.of(Flag.SEEN) : keywords("$Early")));
        }
        List<Mailbox> sessions = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            sessions.add(open(ALICE, MailStore.INBOX));
        }

        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger acks = new AtomicInteger();
        AtomicBoolean crashStarted = new AtomicBoolean();
        AtomicBoolean crashDone = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Mailbox session = sessions.get(t);
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; !crashDone.get(); i++) {
                        String key = thread + "-" + i;
                        byte[] bytes = numbered(key, 200 + (i * 97 + thread * 31) % 900);
                        attempted.put(key, bytes);
                        MessageMeta meta;
                        try {
                            meta = session.append(request(bytes, Flags.NONE));
                        } catch (Exception e) {
                            if (!crashStarted.get()) {
                                problems.add("append " + key + " failed before any crash: " + e);
                            }
                            return null;
                        }
                        String other = acknowledged.put(meta.uid(), key);
                        if (other != null) {
                            problems.add("UID " + meta.uid() + " acknowledged for both " + other + " and " + key);
                        }
                        acks.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (acks.get() < 80 && System.nanoTime() < deadline && problems.isEmpty()) {
                Thread.sleep(1);
            }
            crashStarted.set(true);
            fixture().crashAndReopen();
            crashDone.set(true);
            for (int t = 0; t < threads; t++) {
                try {
                    futures.get(t).get(20, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    fail("an append on the crashed store neither returned nor failed within 20 s (thread " + t + ")");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), problems, "problems while appending");
        assertTrue(acks.get() > 0, "no append was acknowledged before the crash");

        Mailbox inbox = open(ALICE, MailStore.INBOX);
        List<MessageMeta> listed = all(inbox);
        Map<Long, MessageMeta> byUid = new HashMap<>();
        Set<String> keysSeen = new HashSet<>();
        for (MessageMeta meta : listed) {
            byUid.put(meta.uid(), meta);
            byte[] bytes = read(inbox, meta.uid());
            assertEquals(meta.size(), bytes.length, "UID " + meta.uid() + " after the crash: size listed vs bytes read");
            String key = keyOf(bytes);
            byte[] expected = attempted.get(key);
            assertNotNull(expected, "UID " + meta.uid() + " after the crash holds no message that was appended: "
                    + new String(bytes, 0, Math.min(bytes.length, 80), StandardCharsets.ISO_8859_1));
            assertTrue(Arrays.equals(expected, bytes), "UID " + meta.uid() + " after the crash holds message " + key
                    + " only partly or altered (" + bytes.length + " of " + expected.length + " bytes)");
            assertTrue(keysSeen.add(key), "message " + key + " is listed twice after the crash");
        }
        for (MessageMeta early : earlier) {
            MessageMeta now = byUid.get(early.uid());
            assertNotNull(now, "message appended before the load, UID " + early.uid() + ", lost in the crash");
            assertEquals(Seen.of(early), Seen.of(now), "message appended before the load, after the crash");
        }
        List<Long> lost = new ArrayList<>();
        for (Map.Entry<Long, String> ack : new TreeMap<>(acknowledged).entrySet()) {
            MessageMeta meta = byUid.get(ack.getKey());
            if (meta == null) {
                lost.add(ack.getKey());
            } else {
                assertEquals(ack.getValue(), keyOf(read(inbox, ack.getKey())),
                        "UID " + ack.getKey() + " holds the message acknowledged under it");
            }
        }
        assertEquals(List.of(), lost, "acknowledged appends lost in the crash (of " + acknowledged.size() + ")");
        assertEquals(listed.stream().map(MessageMeta::uid).toList(), uids(inbox), "uids() agrees with messages(ALL)");
        assertCountersMatchMessages(inbox, "after the crash");

        long highest = listed.get(listed.size() - 1).uid();
        MessageMeta next = append(inbox, "after the crash");
        assertTrue(next.uid() > highest, "a new message after the crash must get a UID above " + highest
                + ", got " + next.uid());
    }

    /** Acknowledged changes of every kind, for two users. */
    private void buildHistory() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        MessageMeta m1 = append(inbox, message("one"), Flags.of(Flag.SEEN));
        MessageMeta m2 = append(inbox, message("two"), keywords("$Work"));
        MessageMeta m3 = append(inbox, message("three"), Flags.of(Flag.FLAGGED));
        append(inbox, message("four", 3000), Flags.NONE);
        MessageMeta m5 = append(inbox, "five");
        update(inbox, Mode.ADD, Flags.of(Flag.ANSWERED), m2.uid());
        update(inbox, Mode.ADD, Flags.of(Flag.DELETED), m5.uid());
        inbox.expunge(null);

        store().create(ALICE, "Projects/Alpha", Set.of());
        Mailbox alpha = open(ALICE, "Projects/Alpha");
        append(alpha, "alpha one", Flag.DRAFT);
        append(alpha, "alpha two");
        store().subscribe(ALICE, "Projects/Alpha", true);
        store().rename(ALICE, "Projects", "Work");
        store().create(ALICE, "Tmp", Set.of());
        store().delete(ALICE, "Tmp");
        store().create(ALICE, "Receipts", Set.of(SpecialUse.ARCHIVE));

        inbox.copy(List.of(UidRange.of(m1.uid())), "Work/Alpha");
        inbox.move(List.of(UidRange.of(m3.uid())), "Archive");
        store().deliver(Map.of(ALICE, MailStore.INBOX, BOB, "Missing"), request(message("delivered"), Flags.NONE));
        store().subscribe(BOB, "Sent", true);

        // last of all, expunge INBOX's highest UID: a restart must not hand it out again
        MessageMeta last = append(inbox, "last", Flag.DELETED);
        assertEquals(List.of(last.uid()), inbox.expunge(List.of(UidRange.of(last.uid()))), "expunge of the last");
    }

    private Map<MailAddress, Map<String, BoxState>> snapshot(MailAddress... users) throws Exception {
        Map<MailAddress, Map<String, BoxState>> result = new LinkedHashMap<>();
        for (MailAddress user : users) {
            Map<String, BoxState> boxes = new TreeMap<>();
            for (MailboxInfo info : store().mailboxes(user)) {
                Mailbox mailbox = open(user, info.name());
                MailboxStatus status = mailbox.status();
                List<MessageMeta> metas = all(mailbox);
                Map<Long, String> digests = new TreeMap<>();
                for (MessageMeta meta : metas) {
                    digests.put(meta.uid(), sha256(mailbox.content(meta.uid()).open()));
                }
                boxes.put(info.name(), new BoxState(info, Counters.of(status), status.uidValidity(), status.uidNext(),
                        status.highestModSeq(), Seen.of(metas), digests, mailbox.expungedSince(0)));
            }
            result.put(user, boxes);
        }
        return result;
    }

    private Map<MailAddress, Quota> quotas(MailAddress... users) throws Exception {
        Map<MailAddress, Quota> result = new LinkedHashMap<>();
        for (MailAddress user : users) {
            result.put(user, store().quota(user));
        }
        return result;
    }

    private static void compare(Map<MailAddress, Map<String, BoxState>> before,
            Map<MailAddress, Map<String, BoxState>> after, boolean exact, String when) {
        for (MailAddress user : before.keySet()) {
            Map<String, BoxState> was = before.get(user);
            Map<String, BoxState> is = after.get(user);
            assertEquals(was.keySet(), is.keySet(), user + "'s mailboxes " + when);
            for (String name : was.keySet()) {
                BoxState b = was.get(name);
                BoxState a = is.get(name);
                String where = user + " '" + name + "' " + when + ": ";
                assertEquals(b.info(), a.info(), where + "id, UIDVALIDITY, special use, subscription");
                assertEquals(b.uidValidity(), a.uidValidity(), where + "UIDVALIDITY");
                assertEquals(b.messages(), a.messages(), where + "messages (UID, MODSEQ, flags, dates, size, ids)");
                assertEquals(b.digests(), a.digests(), where + "content (SHA-256 by UID)");
                assertEquals(b.vanished(), a.vanished(), where + "expunged UIDs (VANISHED)");
                assertEquals(b.counters(), a.counters(), where + "status counters");
                if (exact) {
                    assertEquals(b.uidNext(), a.uidNext(), where + "UIDNEXT");
                    assertEquals(b.highestModSeq(), a.highestModSeq(), where + "HIGHESTMODSEQ");
                } else {
                    assertTrue(a.uidNext() >= b.uidNext(), where + "UIDNEXT went back from " + b.uidNext()
                            + " to " + a.uidNext());
                    assertTrue(a.highestModSeq() >= b.highestModSeq(), where + "HIGHESTMODSEQ went back from "
                            + b.highestModSeq() + " to " + a.highestModSeq());
                }
            }
        }
    }

    /** New changes after a restart must not reuse a UID or a MODSEQ given before it. */
    private void continueAfterRestart(BoxState inboxBefore, String when) throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        MessageMeta fresh = append(inbox, "after restart");
        assertTrue(fresh.uid() >= inboxBefore.uidNext(), "UID " + fresh.uid() + " " + when
                + " below the UIDNEXT before it, " + inboxBefore.uidNext() + " (expunged UIDs must not come back)");
        assertTrue(fresh.modSeq() > inboxBefore.highestModSeq(), "MODSEQ " + fresh.modSeq() + " " + when
                + " not above the HIGHESTMODSEQ before it, " + inboxBefore.highestModSeq());
        long older = inboxBefore.messages().get(0).uid();
        MessageMeta changed = update(inbox, Mode.ADD, Flags.of(Flag.FLAGGED), older).get(0);
        assertTrue(changed.modSeq() > fresh.modSeq(), "flag change " + when + " gets a MODSEQ above the last one");
    }

    /** A message that names itself in its first line, so a torn or misplaced one shows. */
    static byte[] numbered(String key, int size) {
        byte[] first = ("X-Seq: " + key + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] rest = message("crash load " + key, size - first.length);
        byte[] bytes = Arrays.copyOf(first, size);
        System.arraycopy(rest, 0, bytes, first.length, rest.length);
        return bytes;
    }

    static String keyOf(byte[] bytes) {
        String start = new String(bytes, 0, Math.min(bytes.length, 60), StandardCharsets.US_ASCII);
        if (!start.startsWith("X-Seq: ") || start.indexOf("\r\n") < 0) {
            return "?";
        }
        return start.substring("X-Seq: ".length(), start.indexOf("\r\n"));
    }
}
