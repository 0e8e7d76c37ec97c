package org.postbus.itests.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.UidRange;
import org.postbus.store.file.internal.FileMailStore;

/**
 * The crash test of the embedded store: a separate JVM appends from 16 threads (and flags every
 * seventh message) and reports each acknowledged message on stdout; it is killed with SIGKILL at
 * a random moment, the store is opened again, and every acknowledged message must be there, whole,
 * with its flag; nothing else may be half-visible. Twenty rounds on the same store.
 */
class StoreCrashIT {

    private static final MailAddress USER = MailAddress.parse("crash@example.test");
    private static final int ROUNDS = 20;
    private static final String PREFIX = "Subject: crash\r\n\r\nwriter ";

    @Test
    void acknowledgedMessagesSurviveKill9InTwentyRounds() throws Exception {
        Path target = Path.of(System.getProperty("project.build.directory", "target")).toAbsolutePath();
        Path root = Files.createTempDirectory(Files.createDirectories(target), "store-crash");
        Random random = new Random(42);
        long verified = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Map<Long, String> acknowledged = new ConcurrentHashMap<>();
            Set<Long> flagged = ConcurrentHashMap.newKeySet();
            Process child = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", Writer.class.getName(), root.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Thread reader = new Thread(() -> read(child.getInputStream(), acknowledged, flagged));
            reader.start();
            // Let it open the store and write for a while, then kill it mid-stream.
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (acknowledged.size() < 50 && System.nanoTime() < deadline && child.isAlive()) {
                Thread.sleep(20);
            }
            Thread.sleep(200 + random.nextInt(800));
            assertTrue(child.isAlive(), "the writer is still running when it is killed");
            child.destroyForcibly();
            child.waitFor();
            reader.join();
            assertTrue(acknowledged.size() >= 50, "round " + round + ": the writer acknowledged messages");

            FileMailStore store = new FileMailStore(root, user -> -1L, (topic, properties) -> { });
            try (Mailbox box = store.open(USER, MailStore.INBOX)) {
                long[] uids = box.uids();
                Set<Long> present = new HashSet<>();
                for (long uid : uids) {
                    present.add(uid);
                }
                for (Map.Entry<Long, String> e : acknowledged.entrySet()) {
                    if (!present.contains(e.getKey())) {
                        fail("round " + round + ": acknowledged UID " + e.getKey() + " lost");
                    }
                    assertEquals(PREFIX + e.getValue() + "\r\n", text(box, e.getKey()),
                            "round " + round + ": content of UID " + e.getKey());
                }
                for (Long uid : flagged) {
                    try (var metas = box.messages(UidRange.of(uid))) {
                        assertTrue(metas.findFirst().orElseThrow().flags().has(Flag.SEEN),
                                "round " + round + ": acknowledged \\Seen on UID " + uid);
                    }
                }
                for (long uid : uids) {
                    assertTrue(text(box, uid).startsWith(PREFIX), "round " + round + ": UID " + uid + " is whole");
                }
                assertEquals(uids.length, box.status().messages(), "round " + round + ": message counter");
                verified += acknowledged.size();
            } finally {
                store.close();
            }
        }
        assertTrue(verified > ROUNDS * 50L, "verified " + verified + " acknowledged messages");
    }

    private static void read(InputStream in, Map<Long, String> acknowledged, Set<Long> flagged) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] parts = line.split(" ", 3);
                if (parts.length < 3) {
                    continue; // a line cut by the kill
                }
                long uid = Long.parseLong(parts[1]);
                if (parts[0].equals("A")) {
                    acknowledged.put(uid, parts[2]);
                } else if (parts[0].equals("F")) {
                    flagged.add(uid);
                }
            }
        } catch (IOException | NumberFormatException ended) {
            // the pipe closes when the writer is killed
        }
    }

    private static String text(Mailbox box, long uid) throws Exception {
        MessageContent content = box.content(uid);
        try (InputStream in = content.open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The writer process: appends until killed, printing each acknowledged message. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            FileMailStore store = new FileMailStore(Path.of(args[0]), user -> -1L, (topic, properties) -> { });
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
            long run = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            for (int t = 0; t < 16; t++) {
                int writer = t;
                pool.submit(() -> {
                    try (Mailbox box = store.open(USER, MailStore.INBOX)) {
                        for (int i = 0; ; i++) {
                            String body = writer + " run " + run + " message " + i + " " + "x".repeat((i * 37) % 3000);
                            byte[] bytes = (PREFIX + body + "\r\n").getBytes(StandardCharsets.UTF_8);
                            MessageMeta meta = box.append(new AppendRequest(new Bytes(bytes), Flags.NONE, Instant.now()));
                            synchronized (out) {
                                out.println("A " + meta.uid() + " " + body);
                                out.flush();
                            }
                            if (i % 7 == 0) {
                                box.updateFlags(List.of(UidRange.of(meta.uid())), FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.SEEN)));
                                synchronized (out) {
                                    out.println("F " + meta.uid() + " seen");
                                    out.flush();
                                }
                            }
                        }
                    } catch (Exception e) {
                        e.printStackTrace();
                    }
                    return null;
                });
            }
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** A message in memory. */
    private record Bytes(byte[] bytes) implements MessageContent {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public InputStream open(long offset, long length) {
            int from = (int) Math.min(offset, bytes.length);
            int len = (int) Math.min(length, bytes.length - from);
            return new java.io.ByteArrayInputStream(bytes, from, len);
        }
    }
}
