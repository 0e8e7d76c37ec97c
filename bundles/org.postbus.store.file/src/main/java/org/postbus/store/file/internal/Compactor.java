package org.postbus.store.file.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.h2.mvstore.Cursor;
import org.postbus.api.store.StoreException;
import org.postbus.store.file.internal.SmallRecords.Blob;
import org.postbus.store.file.internal.SmallRecords.Segment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Segment compaction: gives back the disk space of expunged messages whose segment still holds
 * a few live ones. A segment is deleted only when its last live blob goes, so without this a
 * mailbox where most messages were expunged keeps nearly all its space.
 *
 * <p>A sealed segment whose live share fell below the threshold, and which wastes at least the
 * minimum, has its live blobs copied into the cold current segment, which takes only moved
 * blobs so that they never again share a segment with new, short-lived mail ({@link Segments}),
 * paced to a rate so that deliveries and sessions keep their disk bandwidth. Then one
 * committer change points the blobs and the message records at the copies and moves the live
 * counts; the old segment, now without live content, is deleted by the committer's usual path
 * once that change is durable. A crash before the change leaves the old places valid and the
 * copies an uncommitted tail, cut at the next start; after it, the new places are durable.
 *
 * <p>Message records name their content's place inline. Those found on a snapshot are repointed
 * in the same change; a copy of one made between the snapshot and the change still names the old
 * place, which the change notices (fewer records repointed than the blob has references) and a
 * further pass fixes. Content opened meanwhile follows the blob ({@link SegmentContent}).
 *
 * <p>Runs on its own low-priority thread, or on demand ({@link #runOnce}); never on the
 * committer thread, which only applies the short repointing change.
 */
final class Compactor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    /** Passes fixing message records copied while their content was being moved. */
    private static final int FIX_PASSES = 4;

    /**
     * When and how fast to compact.
     *
     * @param belowPercent a sealed segment is compacted when its live bytes are below this share
     *     of its length (percent, 0 to 100; 0 never compacts)
     * @param minWasteBytes and when at least this many of its bytes are dead
     * @param bytesPerSecond most bytes copied per second
     * @param intervalMillis how often the background thread looks; 0 for no background thread
     */
    record Policy(int belowPercent, long minWasteBytes, long bytesPerSecond, long intervalMillis) {
        static final Policy DEFAULT = new Policy(50, 4L << 20, 8L << 20, 60_000);

        Policy {
            if (belowPercent < 0 || belowPercent > 100) {
                throw new IllegalArgumentException("segment.compact.below.percent must lie in 0 to 100: "
                        + belowPercent);
            }
            if (minWasteBytes < 0) {
                throw new IllegalArgumentException("the minimum waste to compact must not be negative: "
                        + minWasteBytes + " bytes");
            }
            if (bytesPerSecond < 1) {
                throw new IllegalArgumentException("the compaction rate must be at least 1 byte per second: "
                        + bytesPerSecond);
            }
            if (intervalMillis < 0) {
                throw new IllegalArgumentException("the compaction interval must not be negative: "
                        + intervalMillis + " ms");
            }
        }

        /** Whether a segment with these counts is worth compacting. */
        boolean wants(Segment s) {
            long waste = s.committedLength() - s.liveBytes();
            return s.liveBlobs() > 0 && waste > 0 && waste >= minWasteBytes
                    && s.liveBytes() * 100 < s.committedLength() * belowPercent;
        }
    }

    /** What one pass did. */
    record Result(int segments, long movedBytes, long reclaimedBytes) {
        static final Result NONE = new Result(0, 0, 0);
    }

    /** A live blob of a segment being compacted, as a snapshot had it. */
    private record Live(long blobId, long offset, long length) {
    }

    /** A message record naming a segment being compacted. */
    private record Ref(Key key, long blobId) {
    }

    private final FileMailStore store;
    private final Segments segments;
    private final Committer committer;
    private final Policy policy;
    private final Object runLock = new Object();
    private final Object sleep = new Object();
    private final Thread thread;
    private volatile boolean stopping;
    /** Runs between the copy and the repointing change: for tests of a crash there. */
    volatile Runnable beforeCommit;

    Compactor(FileMailStore store, Segments segments, Committer committer, Policy policy) {
        this.store = store;
        this.segments = segments;
        this.committer = committer;
        this.policy = policy;
        if (policy.intervalMillis() > 0 && policy.belowPercent() > 0) {
            thread = new Thread(this::loop, "postbus-store-compact");
            thread.setDaemon(true);
            thread.setPriority(Thread.MIN_PRIORITY);
        } else {
            thread = null;
        }
    }

    void start() {
        if (thread != null) {
            thread.start();
        }
    }

    private void loop() {
        while (!stopping) {
            synchronized (sleep) {
                long until = System.nanoTime() + policy.intervalMillis() * 1_000_000L;
                for (long left; !stopping && (left = until - System.nanoTime()) > 0;) {
                    try {
                        sleep.wait(Math.max(1, left / 1_000_000L));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            if (stopping) {
                return;
            }
            try {
                runOnce();
            } catch (RuntimeException e) {
                LOG.warn("segment compaction failed: {}", e.toString(), e);
            }
        }
    }

    /** Compacts every segment the policy picks, one after the other; waits for a pass already running. */
    Result runOnce() {
        synchronized (runLock) {
            if (stopping || policy.belowPercent() == 0) {
                return Result.NONE;
            }
            Map<Long, Segment> picked;
            Map<Long, List<Live>> live = new HashMap<>();
            Map<Long, List<Ref>> refs = new HashMap<>();
            try {
                picked = pick(live, refs);
            } catch (StoreException e) {
                LOG.debug("no segment compaction: {}", e.getMessage());
                return Result.NONE;
            }
            int count = 0;
            long moved = 0;
            long reclaimed = 0;
            for (Map.Entry<Long, Segment> e : picked.entrySet()) {
                if (stopping) {
                    break;
                }
                long id = e.getKey();
                Result r = compact(id, e.getValue(), live.getOrDefault(id, List.of()),
                        refs.getOrDefault(id, List.of()));
                count += r.segments();
                moved += r.movedBytes();
                reclaimed += r.reclaimedBytes();
            }
            return new Result(count, moved, reclaimed);
        }
    }

    /** Picks the segments to compact on a snapshot, with their live blobs and the records naming them. */
    private Map<Long, Segment> pick(Map<Long, List<Live>> live, Map<Long, List<Ref>> refs) throws StoreException {
        return store.read(v -> {
            Map<Long, Segment> picked = new TreeMap<>();
            Cursor<Long, byte[]> sc = v.segments();
            while (sc.hasNext()) {
                long id = sc.next();
                Segment s = Segment.decode(sc.getValue());
                if (policy.wants(s) && segments.settled(id)) {
                    picked.put(id, s);
                }
            }
            if (picked.isEmpty()) {
                return picked;
            }
            Cursor<Long, byte[]> bc = v.blobs();
            while (bc.hasNext()) {
                long blobId = bc.next();
                Blob b = Blob.decode(bc.getValue());
                if (picked.containsKey(b.segment())) {
                    live.computeIfAbsent(b.segment(), k -> new ArrayList<>())
                            .add(new Live(blobId, b.offset(), b.length()));
                }
            }
            collectRefs(v, picked.keySet(), refs);
            return picked;
        });
    }

    private static void collectRefs(View v, Set<Long> ids, Map<Long, List<Ref>> refs) {
        Cursor<Key, byte[]> mc = v.allMessages();
        while (mc.hasNext()) {
            Key k = mc.next();
            MessageRecord m;
            try {
                m = MessageRecord.decode(mc.getValue());
            } catch (RuntimeException e) {
                continue; // a damaged entry is the store check's business
            }
            if (ids.contains(m.segment)) {
                refs.computeIfAbsent(m.segment, x -> new ArrayList<>()).add(new Ref(k, m.blobId));
            }
        }
    }

    /** Moves the live blobs of one segment; the committer then deletes it. */
    private Result compact(long id, Segment before, List<Live> blobs, List<Ref> refs) {
        List<Live> sorted = new ArrayList<>(blobs);
        sorted.sort(Comparator.comparingLong(Live::offset));
        List<Segments.Reservation> copies = new ArrayList<>(sorted.size());
        Pacer pacer = new Pacer();
        try (FileChannel in = FileChannel.open(segments.path(id), StandardOpenOption.READ)) {
            for (Live b : sorted) {
                copies.add(segments.copy(in, b.offset(), b.length(), pacer));
            }
        } catch (NoSuchFileException e) {
            // Emptied and deleted since the snapshot: nothing left to move.
            copies.forEach(segments::release);
            return Result.NONE;
        } catch (IOException | RuntimeException e) {
            copies.forEach(segments::release);
            if (!stopping) {
                LOG.warn("compacting segment file seg-{}.dat failed, it stays as it is: {}", id, e.toString());
            }
            return Result.NONE;
        }
        Runnable hook = beforeCommit;
        if (hook != null) {
            hook.run();
        }
        record Moved(long bytes, long blobs, boolean stragglers) {
        }
        Moved moved;
        try {
            moved = committer.run(tx -> {
                Map<Long, Blob> now = new HashMap<>();
                long bytes = 0;
                for (int i = 0; i < sorted.size(); i++) {
                    Live b = sorted.get(i);
                    Blob m = tx.moveBlob(b.blobId(), id, b.offset(), copies.get(i));
                    if (m != null) {
                        now.put(b.blobId(), m);
                        bytes += m.length();
                    }
                }
                Map<Long, long[]> repointed = new HashMap<>();
                for (Ref r : refs) {
                    Blob m = now.get(r.blobId());
                    if (m != null && tx.relocate(r.key(), r.blobId(), id, m)) {
                        repointed.computeIfAbsent(r.blobId(), k -> new long[1])[0]++;
                    }
                }
                boolean stragglers = false;
                for (Map.Entry<Long, Blob> e : now.entrySet()) {
                    long[] n = repointed.get(e.getKey());
                    stragglers |= n == null || n[0] < e.getValue().refs();
                }
                // The copies went to the cold segment (the last of them to the newest, should it
                // have rolled): a restart goes on filling that one with moved blobs only.
                if (!copies.isEmpty()) {
                    tx.ix.meta.put(Index.COLD_SEGMENT, copies.get(copies.size() - 1).file().id);
                }
                return new Moved(bytes, now.size(), stragglers);
            }, copies);
        } catch (StoreException e) {
            // The committer released the copies; the old places stay valid.
            if (!stopping) {
                LOG.warn("compacting segment file seg-{}.dat failed, it stays as it is: {}", id, e.getMessage());
            }
            return Result.NONE;
        }
        if (moved.stragglers()) {
            fixStragglers(id);
        }
        long reclaimed = before.committedLength() - moved.bytes();
        LOG.info("compacted segment file seg-{}.dat: moved {} live bytes ({}), reclaimed {} bytes", id,
                moved.bytes(), StoreCheck.some(moved.blobs(), "message content"), reclaimed);
        return new Result(1, moved.bytes(), reclaimed);
    }

    /** Points records still naming a compacted segment at their blob's current place. */
    private void fixStragglers(long id) {
        for (int pass = 0; pass < FIX_PASSES && !stopping; pass++) {
            Map<Long, List<Ref>> found = new HashMap<>();
            try {
                store.read(v -> {
                    collectRefs(v, Set.of(id), found);
                    return null;
                });
                List<Ref> refs = found.getOrDefault(id, List.of());
                if (refs.isEmpty()) {
                    return;
                }
                committer.run(tx -> {
                    for (Ref r : refs) {
                        byte[] b = tx.ix.blobs.get(r.blobId());
                        if (b != null) {
                            tx.relocate(r.key(), r.blobId(), id, Blob.decode(b));
                        }
                    }
                    return null;
                });
            } catch (StoreException e) {
                LOG.debug("repointing messages of compacted segment {}: {}", id, e.getMessage());
                return;
            }
        }
    }

    /** Holds copying to the configured rate, waking early when the store stops. */
    private final class Pacer implements Segments.Pace {
        private final long start = System.nanoTime();
        private long copied;

        @Override
        public void copied(long bytes) throws IOException {
            copied += bytes;
            long due = start + (long) (copied * 1e9 / policy.bytesPerSecond());
            synchronized (sleep) {
                for (long left; !stopping && (left = due - System.nanoTime()) > 0;) {
                    try {
                        sleep.wait(Math.max(1, left / 1_000_000L));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("segment compaction interrupted");
                    }
                }
            }
            if (stopping) {
                throw new IOException("the mail store is stopping");
            }
        }
    }

    /** Stops the background thread, ending a copy under way; a repointing change in flight completes. */
    @Override
    public void close() {
        stopping = true;
        synchronized (sleep) {
            sleep.notifyAll();
        }
        if (thread != null && thread != Thread.currentThread()) {
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
    }
}
