package org.postbus.store.file.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.Flags;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.UidRange;

/**
 * The embedded store's benchmark (issue 3): durable appends per second for 4 KiB and 50 KiB
 * messages with 1, 8 and 64 writers; then, on a mailbox of a million messages, the time to
 * SELECT it (status and the UID map), the heap it holds per message, flag-update latency and
 * UID-range fetch latency. Lives in the store's package (on the plain class path, not in OSGi)
 * to read its fsync and batch counters. Run through {@code bench/store.sh}.
 */
public final class StoreBench {

    private static final MailAddress USER = MailAddress.parse("bench@example.test");

    private StoreBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "target/store-bench");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long big = args.length > 2 ? Long.parseLong(args[2]) : 1_000_000;
        String mode = args.length > 3 ? args[3] : "all";
        Files.createDirectories(work);
        if (mode.equals("fill")) {
            fill(work.resolve("big"), big);
            return;
        }
        if (mode.equals("big")) {
            bigMailbox(work.resolve("big"));
            return;
        }
        System.out.printf("# plain 4 KiB write+fdatasync on this disk: %.0f/s%n", plainFsyncRate(work));

        FileMailStore store = new FileMailStore(work.resolve("appends"), user -> -1L, (t, p) -> { });
        store.mailboxes(USER);
        for (int size : new int[] {4096, 51200}) {
            for (int writers : new int[] {1, 8, 64}) {
                appendRound(store, size, writers, seconds);
            }
        }
        store.close();
    }

    private static void appendRound(FileMailStore store, int size, int writers, int seconds) throws Exception {
        AtomicLong count = new AtomicLong();
        long syncs = store.syncCount();
        long batches = store.batchCount();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        long[][] latencies = new long[writers][];
        for (int t = 0; t < writers; t++) {
            int writer = t;
            Thread thread = new Thread(() -> {
                long[] mine = new long[1 << 16];
                int n = 0;
                try (Mailbox box = store.open(USER, "INBOX")) {
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        box.append(message(size, writer, n));
                        if (n < mine.length) {
                            mine[n] = System.nanoTime() - t0;
                        }
                        n++;
                        count.incrementAndGet();
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
                latencies[writer] = Arrays.copyOf(mine, Math.min(n, mine.length));
            });
            thread.start();
            threads.add(thread);
        }
        long t0 = System.nanoTime();
        for (Thread thread : threads) {
            thread.join();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        double p99 = all.length == 0 ? 0 : all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1e6;
        System.out.printf("store-append size=%d writers=%d msgs=%d appends_per_s=%.0f p99_ms=%.1f fsyncs_per_msg=%.3f msgs_per_batch=%.1f load1=%s%n",
                size, writers, count.get(), count.get() / secs, p99,
                (store.syncCount() - syncs) / (double) Math.max(1, count.get()),
                count.get() / (double) Math.max(1, store.batchCount() - batches), load());
    }

    private static void fill(Path root, long target) throws Exception {
        FileMailStore store = new FileMailStore(root, user -> -1L, (t, p) -> { });
        long fill0 = System.nanoTime();
        try (Mailbox box = store.open(USER, "INBOX")) {
            if (box.status().messages() < target) {
                for (int i = 0; i < 1000; i++) {
                    box.append(message(2000, 0, i));
                }
                // Copies share content, so the index is realistic while the disk holds 1,000 messages.
                while (box.status().messages() < target) {
                    box.copy(List.of(new UidRange(1, 1000)), "INBOX");
                }
            }
        }
        store.close();
        System.out.printf("# filled to %d messages in %.1f s%n", target, (System.nanoTime() - fill0) / 1e9);
    }

    /** Runs in a JVM with a small heap (see store.sh): selecting must fit in it. */
    private static void bigMailbox(Path root) throws Exception {
        long t0 = System.nanoTime();
        FileMailStore store = new FileMailStore(root, user -> -1L, (t, p) -> { });
        double openMs = (System.nanoTime() - t0) / 1e6;
        try (Mailbox box = store.open(USER, "INBOX")) {
            t0 = System.nanoTime();
            long messages = box.status().messages();
            long[] uids = box.uids();
            double coldSelect = (System.nanoTime() - t0) / 1e6;
            double warm = Double.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                t0 = System.nanoTime();
                box.status();
                uids = box.uids();
                warm = Math.min(warm, (System.nanoTime() - t0) / 1e6);
            }
            Random random = new Random(1);
            int flagOps = 500;
            long[] flagTimes = new long[flagOps];
            for (int i = 0; i < flagOps; i++) {
                long uid = uids[random.nextInt(uids.length)];
                long s = System.nanoTime();
                box.updateFlags(List.of(UidRange.of(uid)), FlagUpdate.of(i % 2 == 0 ? FlagUpdate.Mode.ADD : FlagUpdate.Mode.REMOVE, Flags.of(Flag.SEEN)));
                flagTimes[i] = System.nanoTime() - s;
            }
            Arrays.sort(flagTimes);
            int fetchOps = 500;
            long[] fetchTimes = new long[fetchOps];
            for (int i = 0; i < fetchOps; i++) {
                int from = random.nextInt(uids.length - 100);
                long s = System.nanoTime();
                try (var metas = box.messages(new UidRange(uids[from], uids[from + 99]))) {
                    metas.count();
                }
                fetchTimes[i] = System.nanoTime() - s;
            }
            Arrays.sort(fetchTimes);
            System.out.printf("store-big messages=%d max_heap_mb=%d open_ms=%.0f select_cold_ms=%.1f select_warm_ms=%.1f "
                            + "flag_update_median_ms=%.2f flag_update_p99_ms=%.2f fetch100_median_ms=%.3f fetch100_p99_ms=%.3f index_mb=%.0f load1=%s%n",
                    messages, Runtime.getRuntime().maxMemory() >> 20, openMs, coldSelect, warm,
                    flagTimes[flagOps / 2] / 1e6, flagTimes[flagOps * 99 / 100] / 1e6,
                    fetchTimes[fetchOps / 2] / 1e6, fetchTimes[fetchOps * 99 / 100] / 1e6,
                    Files.size(root.resolve("index/store.mv.db")) / 1e6, load());
        }
        store.close();
    }

    private static AppendRequest message(int size, int writer, int n) {
        StringBuilder text = new StringBuilder("Message-ID: <" + writer + "." + n + "." + System.nanoTime() + "@bench>\r\nSubject: bench\r\n\r\n");
        while (text.length() < size - 2) {
            text.append('x');
        }
        text.append("\r\n");
        byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        return new AppendRequest(new MessageContent() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public InputStream open(long offset, long length) {
                int from = (int) Math.min(offset, bytes.length);
                return new ByteArrayInputStream(bytes, from, (int) Math.min(length, bytes.length - from));
            }
        }, Flags.NONE, Instant.now());
    }

    private static double plainFsyncRate(Path dir) throws Exception {
        Path file = dir.resolve("fsync.probe");
        int n = 500;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                channel.write(ByteBuffer.allocate(4096), (long) i * 4096);
                channel.force(false);
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }
}
