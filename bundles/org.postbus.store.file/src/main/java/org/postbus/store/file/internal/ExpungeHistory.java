package org.postbus.store.file.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.postbus.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each mailbox's expunge history (map {@code vanished}, for QRESYNC) bounded: at most so
 * many entries, none older than so many days.
 *
 * <p>The committer's housekeeping starts a sweep over the mailboxes now and then; the sweep runs
 * as a chain of ordinary committer changes, each dropping at most {@link #STEP_ENTRIES} entries
 * and looking at most at {@link #STEP_MAILBOXES} mailboxes, so that the sessions' changes batched
 * with it wait little. Entries are dropped oldest first, and the mailbox record notes the MODSEQ
 * up to which they went ({@link MailboxRecord#historyFrom}), so that a QRESYNC client asking
 * about an older state is told the history is incomplete.
 *
 * <p>The age of an expunge is known from marks in {@code expungeTimes}: when a mailbox's
 * expunge comes {@link #MARK_MILLIS} or more after its last mark, or it has none, a mark
 * (MODSEQ, time) is set. The expunges from one mark up to the next thus all happened less than
 * {@link #MARK_MILLIS} after the mark's time, and that run is dropped once the mark is that much
 * older than the age limit. History older than the marks (written before them) gets a mark at
 * the time its sweep first sees it, so it is dropped by age that much later.
 */
final class ExpungeHistory {

    private static final Logger LOG = LoggerFactory.getLogger(ExpungeHistory.class);

    /** Resolution of the age of an expunge: one mark at most this often per mailbox. */
    static final long MARK_MILLIS = TimeUnit.HOURS.toMillis(1);
    /** Most entries one change drops. */
    static final int STEP_ENTRIES = 1000;
    /** Most mailboxes one change looks at. */
    static final int STEP_MAILBOXES = 256;
    /** How often a sweep starts. */
    static final long SWEEP_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(10);

    /**
     * How much history to keep per mailbox.
     *
     * @param maxEntries most expunged UIDs kept; 0 for no limit
     * @param days how long an expunged UID is kept; 0 for no limit
     */
    record Policy(long maxEntries, int days) {
        static final long DEFAULT_MAX_ENTRIES = 100_000;
        static final int DEFAULT_DAYS = 90;
        static final Policy DEFAULT = new Policy(DEFAULT_MAX_ENTRIES, DEFAULT_DAYS);
        static final Policy UNBOUNDED = new Policy(0, 0);

        Policy {
            if (maxEntries < 0) {
                throw new IllegalArgumentException("expunge.history.max must not be negative: " + maxEntries);
            }
            if (days < 0) {
                throw new IllegalArgumentException("expunge.history.days must not be negative: " + days);
            }
        }

        boolean unbounded() {
            return maxEntries == 0 && days == 0;
        }
    }

    private final Committer committer;
    private final Policy policy;
    /** Where the sweep in progress goes on, or -1 between sweeps; the committer thread's own. */
    private long nextMailbox = -1;
    /** The step queued; the committer thread's own. */
    private CompletableFuture<Long> step;
    private long lastSweep = System.nanoTime();
    /** {@link #STEP_ENTRIES}, and {@link #SWEEP_INTERVAL_NANOS}; tests make them smaller. */
    volatile int stepEntries = STEP_ENTRIES;
    volatile long sweepIntervalNanos = SWEEP_INTERVAL_NANOS;

    ExpungeHistory(Committer committer, Policy policy) {
        this.committer = committer;
        this.policy = policy;
    }

    Policy policy() {
        return policy;
    }

    /**
     * Notes when the expunge at {@code modSeq} happened, if the mailbox's last mark is old
     * enough (or missing); on the committer thread, within the expunging change.
     */
    static void markTime(Index ix, long mailboxId, long modSeq, long nowMillis) {
        Key last = ix.expungeTimes.floorKey(Key.last(mailboxId));
        if (last != null && last.hi() == mailboxId) {
            Long at = ix.expungeTimes.get(last);
            if (at != null && nowMillis - at < MARK_MILLIS && nowMillis >= at) {
                return;
            }
        }
        ix.expungeTimes.put(new Key(mailboxId, modSeq), nowMillis);
    }

    /**
     * Starts or continues a sweep; on the committer thread, after each batch. One step is queued
     * at a time, so the next starts only once the last is committed.
     */
    void housekeeping() {
        if (policy.unbounded()) {
            return;
        }
        if (step != null) {
            if (!step.isDone()) {
                return;
            }
            Long next = step.exceptionally(failure -> {
                LOG.warn("trimming the expunge history failed: {}", failure.toString());
                return -1L;
            }).join();
            step = null;
            nextMailbox = next;
        }
        if (nextMailbox < 0) {
            if (System.nanoTime() - lastSweep < sweepIntervalNanos) {
                return;
            }
            lastSweep = System.nanoTime();
            nextMailbox = 0;
        }
        long from = nextMailbox;
        step = committer.submit(tx -> step(tx, from));
    }

    /** Runs a whole sweep now, each step its own commit: for tests. */
    void sweep() throws StoreException {
        if (policy.unbounded()) {
            return;
        }
        long next = 0;
        do {
            long from = next;
            next = committer.run(tx -> step(tx, from));
        } while (next >= 0);
    }

    /**
     * One step of a sweep, as a committer change: trims the mailboxes from id {@code from} on
     * within the step's limits.
     *
     * @return the mailbox id to go on from, or -1 when the sweep is done
     */
    private long step(Tx tx, long from) {
        int budget = stepEntries;
        int boxes = 0;
        Long id = tx.ix.mailboxes.ceilingKey(from);
        while (id != null && boxes < STEP_MAILBOXES && budget > 0) {
            MailboxRecord r = tx.box(id);
            if (r != null) {
                budget -= trim(tx, r, budget);
            }
            boxes++;
            if (budget > 0) {
                id = tx.ix.mailboxes.higherKey(id);
            }
        }
        return id == null ? -1 : id;
    }

    /**
     * Drops the mailbox's entries past the limits, oldest first, at most {@code budget} of them.
     *
     * @return how many were dropped
     */
    int trim(Tx tx, MailboxRecord r, int budget) {
        MVMap<Key, Long> vanished = tx.ix.vanished;
        Key first = vanished.ceilingKey(Key.first(r.id));
        if (first == null || first.hi() != r.id) {
            dropMarks(tx, r.id, Long.MAX_VALUE);
            return 0;
        }
        Key last = vanished.floorKey(Key.last(r.id));
        long through = 0;
        if (policy.maxEntries() > 0) {
            long firstIndex = vanished.getKeyIndex(first);
            long count = vanished.getKeyIndex(last) - firstIndex + 1;
            if (count > policy.maxEntries()) {
                through = vanished.getKey(firstIndex + count - policy.maxEntries() - 1).lo();
            }
        }
        if (policy.days() > 0) {
            through = Math.max(through, agedThrough(tx, r.id, first, last));
        }
        if (through <= 0) {
            return 0;
        }
        int dropped = 0;
        long droppedThrough = 0;
        Cursor<Key, Long> c = vanished.cursor(first, new Key(r.id, through), false);
        while (c.hasNext() && dropped < budget) {
            Key k = c.next();
            vanished.remove(k);
            droppedThrough = k.lo();
            dropped++;
        }
        // All up to `through` gone: no entry lies between the last dropped and it.
        long from = c.hasNext() ? droppedThrough : through;
        if (from > r.historyFrom) {
            r.historyFrom = from;
            r.dirty = true;
        }
        Key left = vanished.higherKey(new Key(r.id, droppedThrough));
        dropMarks(tx, r.id, left == null || left.hi() != r.id ? Long.MAX_VALUE : left.lo());
        return dropped;
    }

    /**
     * The MODSEQ through which the mailbox's expunges are older than the age limit, or 0.
     * Sets a mark for history older than every mark, first.
     */
    private long agedThrough(Tx tx, long mailboxId, Key first, Key last) {
        MVMap<Key, Long> marks = tx.ix.expungeTimes;
        long now = tx.now.toEpochMilli();
        Key mark = marks.ceilingKey(Key.first(mailboxId));
        if (mark == null || mark.hi() != mailboxId || mark.lo() > first.lo()) {
            long at = now;
            if (mark != null && mark.hi() == mailboxId) {
                at = Math.min(at, marks.get(mark));
            }
            mark = new Key(mailboxId, first.lo());
            marks.put(mark, at);
        }
        long cutoff = now - TimeUnit.DAYS.toMillis(policy.days());
        long through = 0;
        while (mark != null && mark.hi() == mailboxId && marks.get(mark) + MARK_MILLIS <= cutoff) {
            Key next = marks.higherKey(mark);
            if (next == null || next.hi() != mailboxId) {
                through = last.lo();
                break;
            }
            through = next.lo() - 1;
            mark = next;
        }
        return through;
    }

    /**
     * Drops the marks of runs with no entry left: those whose next mark is at or before
     * {@code firstLeft}, the MODSEQ of the first entry kept ({@link Long#MAX_VALUE}: none).
     */
    private static void dropMarks(Tx tx, long mailboxId, long firstLeft) {
        MVMap<Key, Long> marks = tx.ix.expungeTimes;
        Key mark = marks.ceilingKey(Key.first(mailboxId));
        while (mark != null && mark.hi() == mailboxId) {
            Key next = marks.higherKey(mark);
            boolean nextOwn = next != null && next.hi() == mailboxId;
            if (firstLeft != Long.MAX_VALUE && (!nextOwn || next.lo() > firstLeft)) {
                return;
            }
            marks.remove(mark);
            mark = nextOwn ? next : null;
        }
    }
}
