package org.postbus.store.file.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels message streams read segment files through: one per segment, shared by every
 * stream reading it, read with positional reads (thread-safe, no shared file position), and
 * counted by reference.
 *
 * <p>Opening and closing a {@link FileChannel} registers and deregisters it with the JDK's one
 * global cleaner list, a lock that many concurrent sessions queue on; a channel per stream made
 * every FETCH pay it. Here a channel is opened on a segment's first read and stays open while
 * streams use it, and idle ones stay open for reuse, up to a bound: past it the least recently
 * used are evicted, those in use closing at their last release.
 *
 * <p>A deleted segment is {@linkplain #retire retired}: streams already holding its channel read
 * on (POSIX keeps an unlinked file readable through an open descriptor), new ones fail as
 * expunged. An interrupt during a read closes the shared channel for every stream; readers then
 * reopen it and read again, and the interrupted thread keeps its interrupt status.
 *
 * <p>The read path takes no registry-wide lock: a map lookup and a compare-and-set on the
 * handle's count. A handle whose count reached zero is closed for good and is never counted up
 * again; a reader that meets one opens a fresh handle.
 */
final class ReadChannels implements AutoCloseable {

    /** Why content can no longer be read: its segment was deleted. */
    static final String EXPUNGED = "the message is no longer stored (it was expunged)";

    /**
     * A segment file that no longer exists: deleted when its last live content was expunged, or
     * after compaction moved that content elsewhere.
     */
    static final class Gone extends IOException {
        private static final long serialVersionUID = 1L;

        Gone(Throwable cause) {
            super(EXPUNGED, cause);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReadChannels.class);
    /** Reopens of a channel closed under one read before giving up: each needs another interrupt. */
    private static final int RETRIES = 8;

    private final int max;
    private final ConcurrentHashMap<Long, Handle> handles = new ConcurrentHashMap<>();
    private final AtomicInteger openChannels = new AtomicInteger();
    private final AtomicLong reopens = new AtomicLong();
    private final AtomicBoolean trimming = new AtomicBoolean();
    private final ReferenceQueue<Object> dropped = new ReferenceQueue<>();
    // Keeps each lease reachable until released, so that a dropped stream's lease is enqueued.
    private final Set<Lease> leases = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** @param max segments kept open for reading, beyond those in use */
    ReadChannels(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("at least one read channel must be allowed: " + max);
        }
        this.max = max;
    }

    /**
     * Holds a segment's read channel for a reader, opening it if no reader holds it yet.
     *
     * @param holder the stream the lease belongs to; if it is dropped without releasing the
     *     lease, the lease is released for it
     * @throws IOException {@link #EXPUNGED} if the segment file is gone, or why it cannot be opened
     */
    Lease acquire(long id, Path path, Object holder) throws IOException {
        reap();
        if (closed) {
            throw new IOException("the mail store is stopped");
        }
        Handle h = handles.get(id);
        if (h != null && h.retain()) {
            h.lastUsed = System.nanoTime();
            return new Lease(holder, h);
        }
        Handle[] got = new Handle[1];
        try {
            // Per key atomic with retire(): a channel opened here is either seen by a retire that
            // follows or fails because the file is already unlinked.
            handles.compute(id, (key, old) -> {
                if (old != null && old.retain()) {
                    got[0] = old;
                    return old;
                }
                got[0] = new Handle(key, path);
                return got[0];
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        h = got[0];
        h.lastUsed = System.nanoTime();
        if (closed && handles.remove(id, h)) {
            // Raced with close(): the handle lives on for this reader alone.
            h.release();
        }
        trim();
        return new Lease(holder, h);
    }

    /**
     * Forgets a deleted segment: streams holding its channel keep reading, which closes at the
     * last release; later acquires fail as expunged. Call after unlinking the file.
     */
    void retire(long id) {
        Handle h = handles.remove(id);
        if (h != null) {
            h.deleted = true;
            h.release();
        }
    }

    /** Channels open for reading now, in use or idle. */
    int openChannels() {
        return openChannels.get();
    }

    /** Channels reopened after an interrupt closed them: for tests. */
    long reopens() {
        return reopens.get();
    }

    /** Releases the leases of streams dropped without being closed. */
    void reap() {
        for (Reference<?> r; (r = dropped.poll()) != null;) {
            Lease lease = (Lease) r;
            if (lease.release()) {
                LOG.debug("a message stream of segment {} was dropped without being closed; releasing its channel",
                        lease.handle.id);
            }
        }
    }

    private static FileChannel openChannel(Path path) {
        try {
            return FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(new Gone(e));
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot open " + path.getFileName() + ": "
                    + e.getMessage(), e));
        }
    }

    /** Evicts the least recently used handles, idle ones first, once more than the bound are open. */
    private void trim() {
        // The check after each pass catches handles added by readers that found a pass running.
        while (handles.size() > max && trimming.compareAndSet(false, true)) {
            try {
                trimOnce();
            } finally {
                trimming.set(false);
            }
        }
    }

    private void trimOnce() {
        // A snapshot to sort by: counts and times change under the sort.
        record Use(Handle handle, boolean busy, long lastUsed) {
        }
        List<Use> all = new ArrayList<>();
        for (Handle h : handles.values()) {
            all.add(new Use(h, h.busy(), h.lastUsed));
        }
        // Down to seven eighths, so that a scan over many segments does not sort on every miss.
        int excess = all.size() - (max - max / 8);
        if (excess <= 0) {
            return;
        }
        all.sort(Comparator.comparing(Use::busy).thenComparingLong(Use::lastUsed));
        for (int i = 0; i < excess; i++) {
            Handle h = all.get(i).handle();
            if (handles.remove(h.id, h)) {
                h.release();
            }
        }
    }

    /** Stops handing out channels; those in use close at their last release. */
    @Override
    public void close() {
        closed = true;
        for (Handle h : handles.values()) {
            if (handles.remove(h.id, h)) {
                h.release();
            }
        }
        reap();
    }

    /**
     * One segment's read channel. Its count holds one for the registry while the handle is listed
     * and one per lease; at zero the channel is closed and the handle is dead.
     */
    final class Handle {
        final long id;
        final Path path;
        private final AtomicInteger refs = new AtomicInteger(1);
        private volatile FileChannel channel;
        private volatile boolean deleted;
        private volatile boolean channelClosed;
        volatile long lastUsed;

        /** Opens the channel, counted for the registry and for the reader that asked. */
        Handle(long id, Path path) {
            this.id = id;
            this.path = path;
            this.channel = openChannel(path);
            openChannels.incrementAndGet();
            refs.set(2);
        }

        /** Counts a holder in, unless the handle is already dead. */
        boolean retain() {
            for (;;) {
                int n = refs.get();
                if (n <= 0) {
                    return false;
                }
                if (refs.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        void release() {
            int n = refs.decrementAndGet();
            if (n == 0) {
                closeChannel();
            } else if (n < 0) {
                LOG.error("read channel of segment {} released more often than held", id);
            }
        }

        /** The channel as it is now: for tests. */
        FileChannel channel() {
            return channel;
        }

        private boolean busy() {
            return refs.get() > 1;
        }

        /** A positional read, reopening the channel when another reader's interrupt closed it. */
        int read(ByteBuffer dst, long position) throws IOException {
            // An interrupt pending at the read would close the channel for every stream sharing it:
            // it is set aside during the read and restored after.
            boolean interrupted = Thread.interrupted();
            int start = dst.position();
            try {
                for (int attempt = 0;; attempt++) {
                    // Also an interrupt that came between attempts.
                    interrupted |= Thread.interrupted();
                    FileChannel ch = channel;
                    try {
                        return ch.read(dst, position);
                    } catch (ClosedChannelException e) {
                        if (e instanceof ClosedByInterruptException) {
                            // This thread was interrupted during the read: it reads again, its interrupt
                            // kept for after.
                            interrupted |= Thread.interrupted();
                        }
                        if (attempt >= RETRIES) {
                            throw new IOException("reading segment " + id + " failed: its channel was closed by "
                                    + "interrupts " + (attempt + 1) + " times in a row", e);
                        }
                        dst.position(start);
                        reopen(ch);
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private synchronized void reopen(FileChannel stale) throws IOException {
            if (channelClosed) {
                // Only a reader that released its lease can get here.
                throw new IOException("the message stream is closed");
            }
            if (channel != stale) {
                return;
            }
            if (deleted) {
                throw new IOException(EXPUNGED);
            }
            try {
                channel = openChannel(path);
                reopens.incrementAndGet();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            LOG.debug("reopened the read channel of segment {}, closed by an interrupted reader", id);
        }

        private synchronized void closeChannel() {
            channelClosed = true;
            openChannels.decrementAndGet();
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", path, e.toString());
            }
        }
    }

    /** One stream's hold on a handle, released once: when the stream closes, or after it is dropped. */
    final class Lease extends PhantomReference<Object> {
        final Handle handle;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(Object holder, Handle handle) {
            super(holder, dropped);
            this.handle = handle;
            leases.add(this);
        }

        int read(ByteBuffer dst, long position) throws IOException {
            if (released.get()) {
                throw new IOException("the message stream is closed");
            }
            return handle.read(dst, position);
        }

        /** @return whether this call released it */
        boolean release() {
            if (!released.compareAndSet(false, true)) {
                return false;
            }
            leases.remove(this);
            clear();
            handle.release();
            return true;
        }
    }
}
