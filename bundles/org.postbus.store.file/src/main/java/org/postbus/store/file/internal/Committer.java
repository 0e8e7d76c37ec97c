package org.postbus.store.file.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.RootReference;
import org.postbus.api.store.StoreException;
import org.postbus.store.file.internal.SmallRecords.Segment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that changes the index, with group commit.
 *
 * <p>Writers first put their message bytes into a segment (unforced), then hand their index
 * change to this thread and wait. The thread takes everything queued as one batch: it forces the
 * segments the batch wrote to (once each), applies the changes to the index maps in order,
 * commits and syncs the index (once), publishes a new {@link View}, posts the events, and only
 * then completes the writers' futures. So a method returns only when its bytes and its index
 * entry are durable, and N concurrent writers share one pair of fsyncs. Changes are serialised:
 * no lost updates.
 */
final class Committer {

    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);

    /** Most changes in one batch, so that a burst does not delay its first writers too long. */
    static final int MAX_BATCH = 4096;

    /** A change to the index, applied on the committer thread. */
    @FunctionalInterface
    interface Change<R> {
        R apply(Tx tx) throws StoreException;
    }

    private static final class Op<R> {
        final Change<R> change;
        final List<Segments.Reservation> reservations;
        final CompletableFuture<R> future = new CompletableFuture<>();
        R result;
        StoreException failure;
        List<Tx.Event> events;
        List<Long> emptied;

        Op(Change<R> change, List<Segments.Reservation> reservations) {
            this.change = change;
            this.reservations = reservations;
        }

        void reset() {
            result = null;
            events = null;
            emptied = null;
        }

        void complete() {
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(result);
            }
        }
    }

    private static final Op<Void> STOP = new Op<>(tx -> null, List.of());

    private final Index index;
    private final Segments segments;
    private final Clock clock;
    private final Runnable publisher;
    private final Runnable housekeeping;
    private final BiConsumer<String, Map<String, Object>> events;
    private final LinkedBlockingQueue<Op<?>> queue = new LinkedBlockingQueue<>();
    private final Object submitLock = new Object();
    private final Thread thread;
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    /** How often the index is looked at for compaction. */
    static final long COMPACT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Compaction starts when the live share of the index chunks falls below this (percent). */
    static final int COMPACT_BELOW_FILL = 50;
    static final int COMPACT_TARGET_FILL = 80;
    /** At most this much is rewritten at once, to keep the pause of writers short. */
    static final int COMPACT_WRITE_BYTES = 1 << 20;

    private long lastCompaction = System.nanoTime();
    private boolean accepting = true;
    private volatile boolean halted;
    private volatile String broken;

    /**
     * @param publisher publishes a new view of the index after each durable commit
     * @param housekeeping runs after each batch and when idle, on this thread
     */
    Committer(Index index, Segments segments, Clock clock, Runnable publisher, Runnable housekeeping,
            BiConsumer<String, Map<String, Object>> events) {
        this.index = index;
        this.segments = segments;
        this.clock = clock;
        this.publisher = publisher;
        this.housekeeping = housekeeping;
        this.events = events;
        this.thread = new Thread(this::loop, "postbus-store-commit");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Applies a change durably and returns its result.
     *
     * @param reservations segment ranges the change refers to: forced before it is committed,
     *     released after
     */
    <R> R run(Change<R> change, List<Segments.Reservation> reservations) throws StoreException {
        Op<R> op = new Op<>(change, reservations);
        synchronized (submitLock) {
            if (!accepting) {
                reservations.forEach(segments::release);
                throw unavailable("the mail store is stopped");
            }
            queue.add(op);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return op.future.get();
                } catch (InterruptedException e) {
                    // The change may already be in a batch: wait for its outcome rather than guess.
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof StoreException se) {
                        throw se;
                    }
                    throw new StoreException(StoreException.Reason.UNAVAILABLE, "the mail store failed: "
                            + e.getCause(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    <R> R run(Change<R> change) throws StoreException {
        return run(change, List.of());
    }

    /**
     * Queues a change without waiting for it: for work no caller waits on, such as keeping
     * something a read worked out. The future fails if the store stops first or the change fails.
     */
    <R> CompletableFuture<R> submit(Change<R> change) {
        Op<R> op = new Op<>(change, List.of());
        synchronized (submitLock) {
            if (!accepting) {
                op.future.completeExceptionally(unavailable("the mail store is stopped"));
                return op.future;
            }
            queue.add(op);
        }
        return op.future;
    }

    /** Why the store cannot write any more, or {@code null} while it can. */
    String broken() {
        return broken;
    }

    /** Forces and syncs done so far (segment files, directory, index): for tests. */
    long syncCount() {
        return syncs.get();
    }

    long batchCount() {
        return batches.get();
    }

    long changeCount() {
        return changes.get();
    }

    /** Stops taking changes, applies those queued, and ends the thread. */
    void stop() {
        synchronized (submitLock) {
            if (!accepting) {
                return;
            }
            accepting = false;
            queue.add(STOP);
        }
        join();
    }

    /**
     * Stops at once, as a crash would: the batch in hand is not committed, queued changes fail.
     * For tests.
     */
    void halt() {
        synchronized (submitLock) {
            accepting = false;
            halted = true;
            queue.add(STOP);
        }
        join();
        List<Op<?>> left = new ArrayList<>();
        queue.drainTo(left);
        for (Op<?> op : left) {
            if (op != STOP) {
                op.future.completeExceptionally(unavailable("the mail store is stopped"));
            }
        }
    }

    private void join() {
        if (Thread.currentThread() == thread || !thread.isAlive()) {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        List<Op<?>> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            batch.clear();
            try {
                Op<?> first = queue.poll(1, TimeUnit.SECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                }
            } catch (InterruptedException e) {
                // Only a halt interrupts; the flag below ends the loop.
            }
            stopping = batch.remove(STOP) || halted;
            if (halted) {
                for (Op<?> op : batch) {
                    op.future.completeExceptionally(unavailable("the mail store is stopped"));
                }
                break;
            }
            try {
                runBatch(batch);
                housekeeping.run();
                compactIndex();
            } catch (Throwable t) {
                LOG.error("mail store commit failed", t);
                broken = "commit failed: " + t;
                for (Op<?> op : batch) {
                    op.future.completeExceptionally(unavailable("the mail store failed: " + t.getMessage()));
                }
            }
        }
        // A stop after a failure leaves nothing behind in the queue.
        List<Op<?>> left = new ArrayList<>();
        queue.drainTo(left);
        for (Op<?> op : left) {
            if (op != STOP) {
                op.future.completeExceptionally(unavailable("the mail store is stopped"));
            }
        }
    }

    private void runBatch(List<Op<?>> batch) {
        if (broken != null) {
            for (Op<?> op : batch) {
                op.reservations.forEach(segments::release);
                op.future.completeExceptionally(unavailable("the mail store cannot write: " + broken));
            }
            return;
        }
        try {
            forceSegments(batch);
        } catch (IOException e) {
            LOG.error("cannot force message files to disk: {}", e.toString());
            for (Op<?> op : batch) {
                op.reservations.forEach(segments::release);
                op.failure = unavailable("cannot write message files: " + e.getMessage());
                op.complete();
            }
            return;
        }
        Instant now = clock.instant();
        apply(batch, now);
        List<Long> deleted = removeEmptySegments(batch);
        if (halted) {
            for (Op<?> op : batch) {
                op.future.completeExceptionally(unavailable("the mail store is stopped"));
            }
            return;
        }
        boolean changed = index.store.hasUnsavedChanges();
        try {
            if (changed) {
                index.store.commit();
                index.store.sync();
                syncs.incrementAndGet();
            }
        } catch (RuntimeException e) {
            broken = "index commit failed: " + e.getMessage();
            LOG.error("mail store index commit failed; the store stops writing: {}", e.toString());
            for (Op<?> op : batch) {
                op.reservations.forEach(segments::release);
                op.failure = unavailable("cannot write the mail index: " + e.getMessage());
                op.complete();
            }
            return;
        }
        if (!batch.isEmpty()) {
            batches.incrementAndGet();
            changes.addAndGet(batch.size());
        }
        if (changed) {
            publisher.run();
        }
        for (Long id : deleted) {
            segments.delete(id);
        }
        for (Op<?> op : batch) {
            op.reservations.forEach(segments::release);
        }
        for (Op<?> op : batch) {
            if (op.failure == null && op.events != null) {
                for (Tx.Event e : op.events) {
                    post(e);
                }
            }
        }
        for (Op<?> op : batch) {
            op.complete();
        }
    }

    /**
     * Rewrites the live pages of sparsely used index chunks now and then, so that their space
     * can be reused: every commit writes a small chunk, and without this the file keeps growing
     * under a steady stream of flag changes while most of its chunks are nearly empty.
     */
    private void compactIndex() {
        if (broken != null || halted) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastCompaction < COMPACT_INTERVAL_NANOS) {
            return;
        }
        lastCompaction = now;
        try {
            int fill = index.store.getFileStore().getChunksFillRate();
            if (fill >= COMPACT_BELOW_FILL) {
                return;
            }
            boolean rewritten = index.store.compact(COMPACT_TARGET_FILL, COMPACT_WRITE_BYTES);
            LOG.debug("index chunks {}% live: compaction rewrote {}", fill, rewritten);
            if (index.store.hasUnsavedChanges()) {
                index.store.commit();
                index.store.sync();
                syncs.incrementAndGet();
                publisher.run();
            }
        } catch (RuntimeException e) {
            LOG.warn("compacting the mail index failed: {}", e.toString());
        }
    }

    private void forceSegments(List<Op<?>> batch) throws IOException {
        Set<Segments.File> files = new LinkedHashSet<>();
        for (Op<?> op : batch) {
            for (Segments.Reservation r : op.reservations) {
                files.add(r.file());
            }
        }
        boolean newNames = false;
        for (Segments.File f : files) {
            segments.force(f);
            syncs.incrementAndGet();
            newNames |= !f.nameDurable;
        }
        if (newNames) {
            segments.syncDirectory();
            syncs.incrementAndGet();
            for (Segments.File f : files) {
                f.nameDurable = true;
            }
        }
    }

    /**
     * Applies the batch's changes in order. A change that fails before writing just fails; one
     * that fails after writing makes the batch roll back and start over without it.
     */
    private void apply(List<Op<?>> batch, Instant now) {
        List<RootReference<?, ?>> before = new ArrayList<>();
        restart:
        while (true) {
            for (Op<?> op : batch) {
                if (op.failure != null) {
                    continue;
                }
                roots(before);
                Tx tx = new Tx(index, now);
                try {
                    applyOne(op, tx);
                } catch (StoreException | RuntimeException e) {
                    if (e instanceof RuntimeException) {
                        LOG.error("mail store change failed", e);
                    }
                    op.failure = e instanceof StoreException se ? se
                            : unavailable("the mail store failed: " + e.getMessage());
                    if (changed(before)) {
                        index.store.rollback();
                        batch.forEach(Op::reset);
                        continue restart;
                    }
                }
            }
            return;
        }
    }

    private static <R> void applyOne(Op<R> op, Tx tx) throws StoreException {
        R result = op.change.apply(tx);
        tx.finish();
        op.result = result;
        op.events = tx.events;
        op.emptied = tx.emptiedSegments;
    }

    private void roots(List<RootReference<?, ?>> into) {
        into.clear();
        for (MVMap<?, ?> map : index.maps()) {
            into.add(map.getRoot());
        }
    }

    private boolean changed(List<RootReference<?, ?>> before) {
        List<MVMap<?, ?>> maps = index.maps();
        for (int i = 0; i < maps.size(); i++) {
            if (maps.get(i).getRoot() != before.get(i)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Drops from the index the segments that hold no live message and will not be written to
     * again; their files go once the batch is durable (or at the next start, after a crash).
     */
    private List<Long> removeEmptySegments(List<Op<?>> batch) {
        Set<Long> candidates = new LinkedHashSet<>(segments.drainCandidates());
        for (Op<?> op : batch) {
            if (op.failure == null && op.emptied != null) {
                candidates.addAll(op.emptied);
            }
        }
        List<Long> deleted = new ArrayList<>();
        for (Long id : candidates) {
            byte[] b = index.segments.get(id);
            boolean empty = b == null || Segment.decode(b).liveBlobs() <= 0;
            if (!empty) {
                continue;
            }
            if (!segments.settled(id) || pendingIn(batch, id)) {
                // Still written to, or reserved by a writer: looked at again when it settles.
                continue;
            }
            if (b != null) {
                index.segments.remove(id);
            }
            deleted.add(id);
        }
        return deleted;
    }

    private static boolean pendingIn(List<Op<?>> batch, long id) {
        for (Op<?> op : batch) {
            for (Segments.Reservation r : op.reservations) {
                if (r.file().id == id) {
                    return true;
                }
            }
        }
        return false;
    }

    private void post(Tx.Event e) {
        try {
            events.accept(e.topic(), e.properties());
        } catch (RuntimeException ex) {
            LOG.warn("posting store event {} failed: {}", e.topic(), ex.toString());
        }
    }

    static StoreException unavailable(String message) {
        return new StoreException(StoreException.Reason.UNAVAILABLE, message);
    }
}
