package org.postbus.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.store.file.internal.Stores.addr;
import static org.postbus.store.file.internal.Stores.bytes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.Flags;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.StoreException;
import org.postbus.api.store.UidRange;

/**
 * Message streams read through one shared channel per segment: exact bytes under concurrency,
 * reads that outlive their segment's deletion, interrupts that spare the other readers, and a
 * bounded number of open files.
 */
class SharedReadTest {

    private static final MailAddress ALICE = addr("alice@example.org");

    @TempDir
    Path dir;

    private Stores stores;

    @AfterEach
    void close() {
        if (stores != null) {
            stores.close();
        }
    }

    private FileMailStore open(FileMailStore.Settings settings) throws StoreException {
        stores = new Stores(dir, settings);
        return stores.store;
    }

    /** A message of {@code size} bytes whose body is random letters. */
    private static byte[] message(int seed, int size) {
        byte[] head = ("Subject: message " + seed + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] b = Arrays.copyOf(head, Math.max(size, head.length));
        Random r = new Random(seed);
        for (int i = head.length; i < b.length; i++) {
            b[i] = (byte) ('a' + r.nextInt(26));
        }
        return b;
    }

    private static AppendRequest request(byte[] data) {
        return new AppendRequest(bytes(data), Flags.NONE, Instant.parse("2024-05-01T10:00:00Z"));
    }

    private static byte[] readAll(MessageContent c, long from, long length, int chunk) throws IOException {
        try (InputStream in = c.open(from, length)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[chunk];
            for (int n; (n = in.read(buf)) > 0;) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static void expunge(Mailbox box, UidRange range) throws StoreException {
        box.updateFlags(List.of(range), FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.DELETED)));
        box.expunge(List.of(range));
    }

    /** Descriptors of this process open on files of the folder, where the platform tells; else -1. */
    private static int openFilesIn(Path folder) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        int count = 0;
        String prefix = folder.toRealPath().toString() + "/";
        try (DirectoryStream<Path> list = Files.newDirectoryStream(fds)) {
            for (Path fd : list) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith(prefix)) {
                        count++;
                    }
                } catch (IOException e) {
                    // closed while listed, or the listing's own descriptor
                }
            }
        }
        return count;
    }

    @Test
    void manyThreadsReadingTheSameAndDifferentMessagesGetExactBytes() throws Exception {
        FileMailStore store = open(new FileMailStore.Settings(16 * 1024, 4));
        int count = 40;
        byte[][] data = new byte[count + 1][];
        try (Mailbox box = store.open(ALICE, "INBOX")) {
            for (int uid = 1; uid <= count; uid++) {
                data[uid] = message(uid, 500 + 211 * uid);
                assertEquals(uid, box.append(request(data[uid])).uid());
            }
        }
        int threads = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    int reads = 0;
                    try (Mailbox box = store.open(ALICE, "INBOX")) {
                        start.await();
                        for (int n = 0; n < 150; n++) {
                            // A third of the threads all read message 1; the others read anything.
                            int uid = seed % 3 == 0 ? 1 : 1 + r.nextInt(count);
                            byte[] expected = data[uid];
                            int from = r.nextInt(expected.length);
                            int length = 1 + r.nextInt(expected.length - from);
                            byte[] got = readAll(box.content(uid), from, length, 1 + r.nextInt(700));
                            assertArrayEquals(Arrays.copyOfRange(expected, from, from + length), got,
                                    "UID " + uid + " from " + from + " length " + length);
                            reads++;
                        }
                    }
                    return reads;
                }));
            }
            start.countDown();
            for (Future<Integer> f : done) {
                assertEquals(150, f.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        long segments;
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir.resolve("blobs"), "seg-*.dat")) {
            segments = StreamSupport.stream(list.spliterator(), false).count();
        }
        assertTrue(segments > 1, "the messages span several segments: " + segments);
        assertTrue(store.readChannels().openChannels() <= segments,
                "at most one read channel per segment: " + store.readChannels().openChannels());
    }

    @Test
    void aStreamOpenedBeforeItsSegmentIsDeletedReadsToItsEnd() throws Exception {
        FileMailStore store = open(new FileMailStore.Settings(2048, 4));
        byte[] first = message(1, 64 * 1024);
        try (Mailbox box = store.open(ALICE, "INBOX")) {
            box.append(request(first));
            // The next message rolls the segment, so that the first one's is sealed and can go.
            box.append(request(message(2, 3000)));
            MessageContent content = box.content(1);
            Path segment = store.segmentPath(1);
            byte[] got = new byte[first.length];
            try (InputStream in = content.open()) {
                assertEquals(1000, in.readNBytes(got, 0, 1000));

                expunge(box, UidRange.of(1));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (Files.exists(segment) && System.nanoTime() < deadline) {
                    box.status();
                    Thread.sleep(20);
                }
                assertFalse(Files.exists(segment), "the emptied segment was deleted");

                assertEquals(first.length - 1000, in.readNBytes(got, 1000, first.length - 1000));
                assertEquals(-1, in.read(), "ends where the message ends");
            }
            assertArrayEquals(first, got);
            assertEquals(0, store.readChannels().openChannels(), "the deleted segment's channel closed");
            int open = openFilesIn(dir.resolve("blobs"));
            if (open >= 0) {
                assertEquals(1, open, "only the segment being written stays open");
            }

            IOException e = assertThrows(IOException.class, content::open);
            assertEquals("the message is no longer stored (it was expunged)", e.getMessage());
            StoreException gone = assertThrows(StoreException.class, () -> box.content(1));
            assertEquals(StoreException.Reason.NONEXISTENT, gone.reason());
            assertArrayEquals(message(2, 3000), readAll(box.content(2), 0, Long.MAX_VALUE, 4096));
        }
    }

    @Test
    void aReaderInterruptedMidReadDoesNotBreakTheOtherReadersOfItsSegment() throws Exception {
        FileMailStore store = open(FileMailStore.Settings.DEFAULT);
        byte[] big = message(7, 4 << 20);
        try (Mailbox box = store.open(ALICE, "INBOX")) {
            box.append(request(big));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger victimReads = new AtomicInteger();
        AtomicInteger interruptsKept = new AtomicInteger();
        AtomicReference<Throwable> victimFailure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(1);
        Thread victim = new Thread(() -> {
            try (Mailbox box = store.open(ALICE, "INBOX")) {
                MessageContent c = box.content(1);
                ready.countDown();
                while (!stop.get()) {
                    byte[] got = readAll(c, 0, Long.MAX_VALUE, 1 << 20);
                    if (!Arrays.equals(big, got)) {
                        throw new AssertionError("the interrupted reader read wrong bytes");
                    }
                    if (Thread.interrupted()) {
                        interruptsKept.incrementAndGet();
                    }
                    victimReads.incrementAndGet();
                }
            } catch (Throwable t) {
                victimFailure.set(t);
            } finally {
                ready.countDown();
            }
        }, "interrupted-reader");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            victim.start();
            List<Future<Integer>> others = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int chunk = 8192 << t;
                others.add(pool.submit(() -> {
                    int reads = 0;
                    try (Mailbox box = store.open(ALICE, "INBOX")) {
                        MessageContent c = box.content(1);
                        while (!stop.get() || reads < 3) {
                            assertArrayEquals(big, readAll(c, 0, Long.MAX_VALUE, chunk));
                            reads++;
                        }
                    }
                    return reads;
                }));
            }
            assertTrue(ready.await(30, TimeUnit.SECONDS));
            // Interrupt the victim again and again until some interrupt has landed inside a read
            // and closed the shared channel under the others, and a little longer.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long until = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, until) && victimFailure.get() == null) {
                victim.interrupt();
                LockSupport.parkNanos(200_000);
                if (until == Long.MAX_VALUE && store.readChannels().reopens() >= 3) {
                    until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                }
            }
            stop.set(true);
            victim.join(30_000);
            for (Future<Integer> f : others) {
                assertTrue(f.get(60, TimeUnit.SECONDS) >= 3);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertNull(victimFailure.get(), "the interrupted reader itself reads on");
        assertTrue(store.readChannels().reopens() > 0, "an interrupt closed the shared channel during a read");
        assertTrue(interruptsKept.get() > 0, "the interrupted reader keeps its interrupt status");
        assertTrue(victimReads.get() > 0);
        assertEquals(1, store.readChannels().openChannels(), "one channel for the segment, reopened in place");
    }

    @Test
    void openReadChannelsStayBoundedWhenReadingMoreSegmentsThanTheCap() throws Exception {
        int cap = 4;
        FileMailStore store = open(new FileMailStore.Settings(2048, 4, cap));
        int count = 20;
        byte[][] data = new byte[count + 1][];
        try (Mailbox box = store.open(ALICE, "INBOX")) {
            for (int uid = 1; uid <= count; uid++) {
                data[uid] = message(uid, 1500);
                box.append(request(data[uid]));
            }
            for (int uid = 1; uid <= count; uid++) {
                assertTrue(Files.exists(store.segmentPath(uid)), "one segment per message");
            }
            // A stream left open on the first segment while every other one is read.
            InputStream held = box.content(1).open();
            byte[] heldBytes = new byte[data[1].length];
            assertEquals(100, held.readNBytes(heldBytes, 0, 100));
            for (int round = 0; round < 2; round++) {
                for (int uid = 2; uid <= count; uid++) {
                    assertArrayEquals(data[uid], readAll(box.content(uid), 0, Long.MAX_VALUE, 512));
                    assertTrue(store.readChannels().openChannels() <= cap + 1,
                            "open: " + store.readChannels().openChannels());
                    int files = openFilesIn(dir.resolve("blobs"));
                    // The read channels, the one left in use, and the segment being written.
                    assertTrue(files <= cap + 2, "descriptors open on segments: " + files);
                }
            }
            assertEquals(data[1].length - 100, held.readNBytes(heldBytes, 100, data[1].length - 100));
            held.close();
            assertArrayEquals(data[1], heldBytes, "the held stream read its message whole");
            assertTrue(store.readChannels().openChannels() <= cap, "open: " + store.readChannels().openChannels());
        }
    }

    @Test
    void streamsKeepTheirSemantics() throws Exception {
        FileMailStore store = open(FileMailStore.Settings.DEFAULT);
        byte[] data = message(9, 10_000);
        try (Mailbox box = store.open(ALICE, "INBOX")) {
            box.append(request(message(8, 777)));
            box.append(request(data));
            MessageContent c = box.content(2);
            assertEquals(data.length, c.size());
            try (InputStream in = c.open(100, 5000)) {
                assertTrue(in.markSupported());
                assertEquals(5000, in.available());
                assertEquals(data[100] & 0xFF, in.read());
                in.mark(0);
                assertEquals(1000, in.skip(1000));
                assertEquals(data[1101] & 0xFF, in.read());
                in.reset();
                assertEquals(data[101] & 0xFF, in.read());
                assertEquals(4998, in.skip(Long.MAX_VALUE), "skips to the end of the range only");
                assertEquals(0, in.available());
                assertEquals(-1, in.read());
                assertEquals(-1, in.read(new byte[10]));
                in.reset();
                assertArrayEquals(Arrays.copyOfRange(data, 101, 5100), in.readAllBytes());
            }
            assertArrayEquals(Arrays.copyOfRange(data, 9990, 10_000), readAll(c, 9990, 1000, 64),
                    "a range past the end is cut at the end");
            assertArrayEquals(new byte[0], readAll(c, 20_000, 10, 64));

            // A segment cut short under the index: the read fails, saying so.
            try (FileChannel ch = FileChannel.open(store.segmentPath(1), StandardOpenOption.WRITE)) {
                ch.truncate(777 + 5000);
            }
            try (InputStream in = c.open()) {
                assertArrayEquals(Arrays.copyOfRange(data, 0, 5000), in.readNBytes(5000));
                IOException e = assertThrows(IOException.class, in::readAllBytes);
                assertTrue(e.getMessage().contains("damaged segment file"), e.getMessage());
            }
        }
    }
}
