package org.postbus.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared read channels of segment files: counting, retiring, eviction, interrupts. */
class ReadChannelsTest {

    @TempDir
    Path dir;

    private final List<ReadChannels> opened = new ArrayList<>();

    // Leases below are held for the test instance, which outlives them: a lease whose holder is
    // dropped is released for it, as aStreamDroppedWithoutClosingReleasesItsChannel shows.

    @AfterEach
    void closeAll() {
        opened.forEach(ReadChannels::close);
    }

    private ReadChannels channels(int max) {
        ReadChannels c = new ReadChannels(max);
        opened.add(c);
        return c;
    }

    private Path file(int id, byte[] data) throws IOException {
        return Files.write(dir.resolve("seg-" + id + ".dat"), data);
    }

    private static byte[] data(int seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] read(ReadChannels.Lease lease, long from, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            int n = lease.read(buf, from + buf.position());
            if (n < 0) {
                throw new IOException("end of file at " + (from + buf.position()));
            }
        }
        return buf.array();
    }

    @Test
    void readersOfOneSegmentShareOneChannelKeptOpenUntilRetired() throws Exception {
        byte[] d = data(1, 10_000);
        Path f = file(1, d);
        ReadChannels c = channels(8);
        ReadChannels.Lease a = c.acquire(1, f, this);
        ReadChannels.Lease b = c.acquire(1, f, this);
        assertSame(a.handle, b.handle);
        assertEquals(1, c.openChannels());
        assertArrayEquals(Arrays.copyOfRange(d, 100, 600), read(a, 100, 500));
        assertArrayEquals(Arrays.copyOfRange(d, 9000, 10_000), read(b, 9000, 1000));
        assertTrue(a.release());
        assertFalse(a.release(), "released once only");
        b.release();
        assertEquals(1, c.openChannels(), "an idle channel stays open for the next reader");
        ReadChannels.Lease again = c.acquire(1, f, this);
        assertSame(a.handle, again.handle, "reused");
        again.release();
        c.retire(1);
        assertEquals(0, c.openChannels());
        assertThrows(IOException.class, () -> a.read(ByteBuffer.allocate(1), 0), "a released lease reads no more");
    }

    @Test
    void aRetiredSegmentStaysReadableToItsHoldersOnly() throws Exception {
        byte[] d = data(2, 5000);
        Path f = file(2, d);
        ReadChannels c = channels(8);
        ReadChannels.Lease held = c.acquire(2, f, this);
        Files.delete(f);
        c.retire(2);
        assertArrayEquals(d, read(held, 0, d.length), "readable through the open channel after the unlink");
        IOException e = assertThrows(IOException.class, () -> c.acquire(2, f, this));
        assertEquals(ReadChannels.EXPUNGED, e.getMessage());
        assertEquals(1, c.openChannels());
        held.release();
        assertEquals(0, c.openChannels(), "closed at the last release");
    }

    @Test
    void aChannelClosedByAnotherThreadsInterruptIsReopenedForTheOthers() throws Exception {
        byte[] d = data(3, 50_000);
        Path f = file(3, d);
        ReadChannels c = channels(8);
        ReadChannels.Lease a = c.acquire(3, f, this);
        ReadChannels.Lease b = c.acquire(3, f, this);
        FileChannel shared = a.handle.channel();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        // A thread interrupted while using the channel directly closes it for everyone.
        Thread t = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                shared.read(ByteBuffer.allocate(10), 0);
            } catch (Throwable x) {
                outcome.set(x);
            }
        });
        t.start();
        t.join();
        assertTrue(outcome.get() instanceof ClosedByInterruptException, String.valueOf(outcome.get()));
        assertFalse(shared.isOpen());
        assertArrayEquals(Arrays.copyOfRange(d, 20_000, 50_000), read(b, 20_000, 30_000));
        assertArrayEquals(Arrays.copyOfRange(d, 0, 100), read(a, 0, 100));
        assertEquals(1, c.reopens(), "reopened once for both");
        assertNotSame(shared, a.handle.channel());
        assertEquals(1, c.openChannels());
        a.release();
        b.release();
    }

    @Test
    void anInterruptedReaderReadsWithoutClosingTheSharedChannelAndKeepsItsInterrupt() throws Exception {
        byte[] d = data(4, 8000);
        Path f = file(4, d);
        ReadChannels c = channels(8);
        ReadChannels.Lease other = c.acquire(4, f, this);
        FileChannel shared = other.handle.channel();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                ReadChannels.Lease mine = c.acquire(4, f, this);
                Thread.currentThread().interrupt();
                byte[] got = read(mine, 1000, 2000);
                outcome.set(Thread.currentThread().isInterrupted() ? got : "interrupt lost");
                mine.release();
            } catch (Throwable x) {
                outcome.set(x);
            }
        });
        t.start();
        t.join();
        assertTrue(outcome.get() instanceof byte[], String.valueOf(outcome.get()));
        assertArrayEquals(Arrays.copyOfRange(d, 1000, 3000), (byte[]) outcome.get());
        assertTrue(shared.isOpen(), "the pending interrupt did not close the shared channel");
        assertEquals(0, c.reopens());
        assertArrayEquals(Arrays.copyOfRange(d, 0, 8000), read(other, 0, 8000));
        other.release();
    }

    @Test
    void reopeningAfterTheFileIsDeletedSaysTheMessageIsGone() throws Exception {
        Path f = file(5, data(5, 100));
        ReadChannels c = channels(8);
        ReadChannels.Lease a = c.acquire(5, f, this);
        Files.delete(f);
        c.retire(5);
        a.handle.channel().close();
        IOException e = assertThrows(IOException.class, () -> a.read(ByteBuffer.allocate(10), 0));
        assertEquals(ReadChannels.EXPUNGED, e.getMessage());
        a.release();
    }

    @Test
    void idleChannelsBeyondTheBoundAreClosedAndOneInUseClosesAtItsLastRelease() throws Exception {
        int max = 3;
        ReadChannels c = channels(max);
        byte[][] d = new byte[10][];
        Path[] f = new Path[10];
        for (int i = 0; i < 10; i++) {
            d[i] = data(100 + i, 3000 + i);
            f[i] = file(i, d[i]);
        }
        ReadChannels.Lease held = c.acquire(0, f[0], this);
        for (int round = 0; round < 3; round++) {
            for (int i = 1; i < 10; i++) {
                ReadChannels.Lease l = c.acquire(i, f[i], this);
                assertArrayEquals(d[i], read(l, 0, d[i].length));
                l.release();
                assertTrue(c.openChannels() <= max + 1, "open: " + c.openChannels());
            }
        }
        assertArrayEquals(d[0], read(held, 0, d[0].length), "the channel in use was not closed under its reader");
        held.release();
        assertTrue(c.openChannels() <= max, "open: " + c.openChannels());
    }

    @Test
    void aStreamDroppedWithoutClosingReleasesItsChannel() throws Exception {
        Path f = file(6, data(6, 100));
        ReadChannels c = channels(8);
        c.acquire(6, f, new Object());
        c.retire(6);
        assertEquals(1, c.openChannels(), "held by the dropped holder's lease");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (c.openChannels() > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
            c.reap();
        }
        assertEquals(0, c.openChannels());
    }

    @Test
    void afterCloseNoChannelIsHandedOutAndHoldersFinish() throws Exception {
        byte[] d = data(7, 4000);
        Path f = file(7, d);
        ReadChannels c = channels(8);
        ReadChannels.Lease held = c.acquire(7, f, this);
        c.close();
        IOException e = assertThrows(IOException.class, () -> c.acquire(7, f, this));
        assertEquals("the mail store is stopped", e.getMessage());
        assertArrayEquals(d, read(held, 0, d.length));
        held.release();
        assertEquals(0, c.openChannels());
    }

    @Test
    void concurrentReadersUnderEvictionAlwaysReadExactBytes() throws Exception {
        int files = 12;
        int max = 4;
        ReadChannels c = channels(max);
        byte[][] d = new byte[files][];
        Path[] f = new Path[files];
        for (int i = 0; i < files; i++) {
            d[i] = data(200 + i, 2000 + 97 * i);
            f[i] = file(i, d[i]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    for (int n = 0; n < 2000; n++) {
                        // Half the threads keep to a few segments, so handles are shared and evicted in use.
                        int i = seed % 2 == 0 ? r.nextInt(files) : r.nextInt(2);
                        ReadChannels.Lease l = c.acquire(i, f[i], this);
                        try {
                            int from = r.nextInt(d[i].length);
                            int len = 1 + r.nextInt(d[i].length - from);
                            assertArrayEquals(Arrays.copyOfRange(d[i], from, from + len), read(l, from, len));
                        } finally {
                            l.release();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> x : done) {
                x.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(c.openChannels() <= max, "open after all released: " + c.openChannels());
        for (int i = 0; i < files; i++) {
            c.retire(i);
        }
        assertEquals(0, c.openChannels(), "every channel closed: none was left counted");
    }
}
