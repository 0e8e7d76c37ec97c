package org.postbus.store.file.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postbus.api.store.MessageContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segment files under {@code blobs/}: append-only files named {@code seg-<n>.dat}, each
 * holding the bytes of many messages one after the other. Writers reserve a range of the
 * current segment under a short lock and then write their bytes there, in parallel, without
 * forcing them; the committer forces every segment of a batch once before committing the index.
 * A segment is rolled (sealed, a new one begun) when the next message would take it past the
 * configured size.
 *
 * <p>Compaction writes to a second current segment of its own, the cold one: blobs that outlived
 * a segment are long-lived, and copying them next to new mail (often expunged soon after) would
 * leave their new segment mostly dead again and have them copied over and over. The cold segment
 * takes its number from the same sequence and follows the same rolling, forcing and recovery
 * rules; only the writer choosing it differs.
 *
 * <p>File channels can be closed by a thread's interrupt; writes and forces here reopen the
 * channel and retry, so that one interrupted session cannot break the store for the others.
 *
 * <p>Message streams read segments through channels of their own, shared per segment
 * ({@link ReadChannels}); deleting a segment retires its read channel there.
 */
final class Segments implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Segments.class);
    private static final Pattern NAME = Pattern.compile("seg-(\\d+)\\.dat");
    private static final int BUFFER = 64 * 1024;
    private static final int RETRIES = 8;

    /** A segment written to in this run. */
    static final class File {
        final long id;
        final Path path;
        /** Reserved ranges not yet committed or given up. */
        final AtomicInteger pending = new AtomicInteger();
        /** Whether its directory entry is known to be durable (false for a file created in this run). */
        volatile boolean nameDurable;
        volatile boolean sealed;
        private volatile FileChannel channel;
        private volatile boolean closed;

        File(long id, Path path, FileChannel channel, boolean created) {
            this.id = id;
            this.path = path;
            this.channel = channel;
            this.nameDurable = !created;
        }

        FileChannel channel() {
            return channel;
        }

        synchronized void reopen(FileChannel stale) throws IOException {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (channel == stale) {
                channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
        }

        synchronized void close() {
            closed = true;
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", path, e.toString());
            }
        }
    }

    /** A range of a segment set aside for one message. */
    record Reservation(File file, long offset, long length) {
        long end() {
            return offset + length;
        }
    }

    /** Bytes written to a segment, with the threading headers read on the way. */
    record Written(Reservation reservation, HeaderScanner.Ids ids) {
    }

    private final Path dir;
    private final long maxSize;
    private final ReadChannels readChannels;
    private final Map<Long, File> open = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> candidates = new ConcurrentLinkedQueue<>();
    private final Object lock = new Object();
    private File current;
    private long currentLength;
    /** The compactor's current segment, null until it first copies (see the class comment). */
    private File cold;
    private long coldLength;
    private long nextId;
    private volatile boolean closed;

    private Segments(Path dir, long maxSize, int readChannels) {
        this.dir = dir;
        this.maxSize = maxSize;
        this.readChannels = new ReadChannels(readChannels);
    }

    /**
     * Opens the folder after a clean stop or a crash: cuts every known segment back to its
     * committed length (dropping the torn tail of writes never acknowledged) and deletes the
     * segments the index does not know (begun but never committed).
     *
     * @param committed committed length of each live segment, by number
     * @param lastId the highest segment number the index has ever seen
     * @param coldId the compactor's segment when the index was last committed, 0 if none
     * @param readChannels segments kept open for reading beyond those being read
     */
    static Segments open(Path dir, long maxSize, Map<Long, Long> committed, long lastId, long coldId,
            int readChannels) throws IOException {
        Files.createDirectories(dir);
        Segments segments = new Segments(dir, maxSize, readChannels);
        long maxId = lastId;
        TreeMap<Long, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                Matcher m = NAME.matcher(file.getFileName().toString());
                if (m.matches()) {
                    found.put(Long.parseLong(m.group(1)), file);
                }
            }
        }
        for (Map.Entry<Long, Path> e : found.entrySet()) {
            long id = e.getKey();
            maxId = Math.max(maxId, id);
            Long length = committed.get(id);
            if (length == null) {
                LOG.info("deleting segment {}: the index does not refer to it (left by a write that was never "
                        + "acknowledged, or by a deletion that was interrupted)", e.getValue());
                Files.deleteIfExists(e.getValue());
                continue;
            }
            long size = Files.size(e.getValue());
            if (size > length) {
                LOG.info("cutting segment {} from {} to its committed {} bytes (a torn tail of writes never "
                        + "acknowledged)", e.getValue(), size, length);
                try (FileChannel ch = FileChannel.open(e.getValue(), StandardOpenOption.WRITE)) {
                    ch.truncate(length);
                    ch.force(true);
                }
            } else if (size < length) {
                LOG.error("segment {} holds {} bytes but {} were committed: messages near its end are damaged",
                        e.getValue(), size, length);
            }
        }
        for (Map.Entry<Long, Long> e : committed.entrySet()) {
            maxId = Math.max(maxId, e.getKey());
            if (!found.containsKey(e.getKey())) {
                LOG.error("segment {} is missing: the messages stored in it cannot be read",
                        segments.path(e.getKey()));
            }
        }
        segments.nextId = maxId + 1;
        // Go on filling the last segment if it has room, so that restarts leave no small files,
        // and the cold one likewise; new mail never goes on in the cold one.
        Map.Entry<Long, Long> last = committed.isEmpty() ? null : new TreeMap<>(committed).lastEntry();
        if (last != null && last.getKey() != coldId) {
            segments.current = segments.resume(last.getKey(), last.getValue(), found);
            segments.currentLength = segments.current == null ? 0 : Math.min(last.getValue(),
                    segments.current.channel().size());
        }
        Long coldLength = committed.get(coldId);
        if (coldLength != null) {
            segments.cold = segments.resume(coldId, coldLength, found);
            segments.coldLength = segments.cold == null ? 0 : Math.min(coldLength, segments.cold.channel().size());
        }
        return segments;
    }

    /** Reopens a segment to append to, or null if it is full or missing. */
    private File resume(long id, long length, Map<Long, Path> found) throws IOException {
        if (!found.containsKey(id) || length >= maxSize) {
            return null;
        }
        Path path = path(id);
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        File f = new File(id, path, ch, false);
        open.put(id, f);
        return f;
    }

    Path path(long id) {
        return dir.resolve("seg-" + id + ".dat");
    }

    Path dir() {
        return dir;
    }

    /**
     * A stored message's bytes, read through the segment's shared read channel.
     *
     * @param locator finds the blob's place should compaction have moved it
     */
    MessageContent content(SegmentContent.Locator locator, long blobId, long segment, long offset, long size) {
        return new SegmentContent(readChannels, locator, blobId, place(segment, offset), size);
    }

    SegmentContent.Place place(long segment, long offset) {
        return new SegmentContent.Place(segment, path(segment), offset);
    }

    /** The read channels of message streams. */
    ReadChannels readChannels() {
        return readChannels;
    }

    /** The highest segment number handed out so far. */
    long lastId() {
        synchronized (lock) {
            return nextId - 1;
        }
    }

    /**
     * Stores a message's bytes in the current segment, unforced.
     *
     * @throws IOException if they cannot be written or the content does not have its stated size
     */
    Written store(MessageContent content) throws IOException {
        long size = content.size();
        if (size < 0) {
            throw new IOException("message content reports a negative size");
        }
        Reservation r = reserve(size);
        HeaderScanner scanner = new HeaderScanner();
        try (InputStream in = content.open()) {
            byte[] buf = new byte[(int) Math.min(BUFFER, Math.max(size, 1024))];
            ByteBuffer wrap = ByteBuffer.wrap(buf);
            long done = 0;
            while (true) {
                int want = (int) Math.min(buf.length, size - done + 1);
                int n = in.readNBytes(buf, 0, want);
                if (n <= 0) {
                    break;
                }
                if (done + n > size) {
                    throw new IOException("message content is longer than its stated size of " + size + " bytes");
                }
                if (!scanner.done()) {
                    scanner.feed(buf, 0, n);
                }
                wrap.clear().limit(n);
                writeFully(r.file(), wrap, r.offset() + done);
                done += n;
            }
            if (done != size) {
                throw new IOException("message content ended after " + done + " of its stated " + size + " bytes");
            }
        } catch (IOException | RuntimeException e) {
            release(r);
            throw e;
        }
        return new Written(r, scanner.ids());
    }

    /** Paces a copy: called after each chunk with its size, may wait. */
    @FunctionalInterface
    interface Pace {
        void copied(long bytes) throws IOException;
    }

    /**
     * Copies {@code length} bytes of another segment, read through {@code from}, into a new
     * reservation of the cold segment, unforced (compaction). The reservation is released on
     * failure; on success the caller hands it to the committer.
     */
    Reservation copy(FileChannel from, long offset, long length, Pace pace) throws IOException {
        Reservation r = reserveCold(length);
        try {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(length, 1)));
            long done = 0;
            while (done < length) {
                buf.clear().limit((int) Math.min(buf.capacity(), length - done));
                int n = from.read(buf, offset + done);
                if (n < 0) {
                    throw new IOException("the segment ends before byte " + (offset + length));
                }
                buf.flip();
                writeFully(r.file(), buf, r.offset() + done);
                done += n;
                pace.copied(n);
            }
        } catch (IOException | RuntimeException e) {
            release(r);
            throw e;
        }
        return r;
    }

    /** Sets aside {@code size} bytes at the end of the current segment, rolling it when full. */
    Reservation reserve(long size) throws IOException {
        synchronized (lock) {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (current == null || currentLength > 0 && currentLength + size > maxSize) {
                roll();
            }
            Reservation r = new Reservation(current, currentLength, size);
            currentLength += size;
            current.pending.incrementAndGet();
            return r;
        }
    }

    /**
     * Sets aside {@code size} bytes at the end of the cold segment, which holds only blobs moved
     * by compaction, rolling it when full.
     */
    Reservation reserveCold(long size) throws IOException {
        synchronized (lock) {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (cold == null || coldLength > 0 && coldLength + size > maxSize) {
                File previous = cold;
                cold = create();
                coldLength = 0;
                seal(previous);
            }
            Reservation r = new Reservation(cold, coldLength, size);
            coldLength += size;
            cold.pending.incrementAndGet();
            return r;
        }
    }

    private void roll() throws IOException {
        File previous = current;
        current = create();
        currentLength = 0;
        seal(previous);
    }

    /** Begins a new segment file with the next number; called under the lock. */
    private File create() throws IOException {
        long id = nextId;
        Path path = path(id);
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        nextId = id + 1;
        File f = new File(id, path, ch, true);
        open.put(id, f);
        return f;
    }

    private void seal(File previous) {
        if (previous != null) {
            previous.sealed = true;
            closeIfIdle(previous);
            candidates.add(previous.id);
        }
    }

    /**
     * Gives up a reservation's claim on its segment, once its index entry is committed or it has
     * failed.
     */
    void release(Reservation r) {
        File f = r.file();
        if (f.pending.decrementAndGet() == 0 && f.sealed) {
            closeIfIdle(f);
            candidates.add(f.id);
        }
    }

    private void closeIfIdle(File f) {
        if (f.sealed && f.pending.get() == 0 && open.remove(f.id, f)) {
            f.close();
        }
    }

    /** Forces a segment's bytes to disk. */
    void force(File f) throws IOException {
        for (int attempt = 0;; attempt++) {
            FileChannel ch = f.channel();
            try {
                ch.force(false);
                return;
            } catch (ClosedChannelException e) {
                if (closed || attempt >= RETRIES) {
                    throw e;
                }
                boolean interrupted = Thread.interrupted();
                try {
                    f.reopen(ch);
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    /** Makes the names of new segment files durable. */
    void syncDirectory() throws IOException {
        syncDirectory(dir);
    }

    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open or force a directory; their file systems order it otherwise.
            if (Files.isDirectory(directory)) {
                LOG.debug("cannot force directory {}: {}", directory, e.toString());
            } else {
                throw e;
            }
        }
    }

    /** Segments that may have become deletable: sealed, or with their last reservation settled. */
    List<Long> drainCandidates() {
        List<Long> ids = new ArrayList<>();
        for (Long id; (id = candidates.poll()) != null;) {
            ids.add(id);
        }
        return ids;
    }

    /** Queues a segment to be looked at for deletion (its last live blob went). */
    void candidate(long id) {
        candidates.add(id);
    }

    /** Whether nothing will be written to the segment any more. */
    boolean settled(long id) {
        synchronized (lock) {
            if (current != null && current.id == id || cold != null && cold.id == id) {
                return false;
            }
        }
        File f = open.get(id);
        return f == null || f.sealed && f.pending.get() == 0;
    }

    /**
     * Deletes a segment file whose last live blob is gone. Streams reading it go on to their end;
     * opening one afterwards fails as expunged.
     */
    void delete(long id) {
        File f = open.remove(id);
        if (f != null) {
            f.close();
        }
        try {
            Files.deleteIfExists(path(id));
            LOG.debug("deleted segment {}", id);
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            LOG.warn("could not delete empty segment {}: {}; it will be deleted at the next start", path(id),
                    e.toString());
        } finally {
            // After the unlink: a reader opening the file meanwhile has its handle retired here.
            readChannels.retire(id);
        }
    }

    private void writeFully(File f, ByteBuffer buf, long position) throws IOException {
        int start = buf.position();
        boolean interrupted = false;
        try {
            for (int attempt = 0;; attempt++) {
                FileChannel ch = f.channel();
                try {
                    long pos = position;
                    while (buf.hasRemaining()) {
                        pos += ch.write(buf, pos);
                    }
                    return;
                } catch (ClosedByInterruptException e) {
                    interrupted |= Thread.interrupted();
                    if (closed || attempt >= RETRIES) {
                        throw e;
                    }
                    f.reopen(ch);
                    buf.position(start);
                } catch (ClosedChannelException e) {
                    if (closed || attempt >= RETRIES) {
                        throw e;
                    }
                    f.reopen(ch);
                    buf.position(start);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Closes every file. Bytes not yet forced are left to the operating system, as after a crash
     * of this process; the index never refers to them.
     */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            current = null;
            cold = null;
        }
        for (File f : open.values()) {
            f.close();
        }
        open.clear();
        readChannels.close();
    }
}
