package org.postbus.queue.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.postbus.api.store.MessageContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue on disk: one folder per message, {@code <id>/content} (the bytes, never changed) and
 * {@code <id>/envelope.properties} (sender, recipients and their state). A message folder is
 * built under a temporary name, fsync'd, renamed into place and the parent fsync'd, so that a
 * folder with a plain id is always complete; envelope updates are written beside and renamed over.
 */
final class QueueStore {

    private static final Logger LOG = LoggerFactory.getLogger(QueueStore.class);
    static final String CONTENT = "content";
    static final String ENVELOPE = "envelope.properties";
    private static final String TMP_PREFIX = "tmp-";

    private final Path root;

    QueueStore(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
    }

    Path root() {
        return root;
    }

    /** Writes a new message durably. */
    void create(QueuedMessage envelope, MessageContent content) throws IOException {
        Path tmp = root.resolve(TMP_PREFIX + envelope.id);
        Files.createDirectory(tmp);
        try {
            Path contentFile = tmp.resolve(CONTENT);
            try (FileChannel ch = FileChannel.open(contentFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(ch);
                    InputStream in = content.open()) {
                in.transferTo(out);
                out.flush();
                ch.force(true);
            }
            writeDurably(tmp.resolve(ENVELOPE), envelope);
            fsyncDir(tmp);
            move(tmp, root.resolve(envelope.id));
            fsyncDir(root);
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    /** Replaces the envelope of a queued message atomically. */
    void update(QueuedMessage envelope) throws IOException {
        Path dir = root.resolve(envelope.id);
        Path tmp = dir.resolve(ENVELOPE + ".tmp");
        writeDurably(tmp, envelope);
        move(tmp, dir.resolve(ENVELOPE));
        fsyncDir(dir);
    }

    /** Removes a message; its envelope goes first, so a half-removed folder is garbage at load. */
    void remove(String id) throws IOException {
        Path dir = root.resolve(id);
        Files.deleteIfExists(dir.resolve(ENVELOPE));
        fsyncDir(dir);
        deleteTree(dir);
        fsyncDir(root);
    }

    Path content(String id) {
        return root.resolve(id).resolve(CONTENT);
    }

    /** Every complete message on disk; leftovers of interrupted writes are removed. */
    List<QueuedMessage> load() throws IOException {
        List<QueuedMessage> result = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                Path env = dir.resolve(ENVELOPE);
                if (name.startsWith(TMP_PREFIX) || !Files.exists(env) || !Files.exists(dir.resolve(CONTENT))) {
                    LOG.info("removing incomplete queue folder {}", dir);
                    deleteTree(dir);
                    continue;
                }
                Files.deleteIfExists(dir.resolve(ENVELOPE + ".tmp"));
                try (InputStream in = Files.newInputStream(env)) {
                    QueuedMessage e = QueuedMessage.read(in);
                    if (!e.id.equals(name)) {
                        throw new IOException("envelope id " + e.id + " in folder " + name);
                    }
                    result.add(e);
                } catch (IOException | RuntimeException e) {
                    // Kept on disk for a person to look at; the rest of the queue still runs.
                    LOG.error("unreadable queue envelope {}: {}", env, e.toString());
                }
            }
        }
        result.sort(Comparator.comparing((QueuedMessage e) -> e.queued).thenComparing(e -> e.id));
        return result;
    }

    private static void writeDurably(Path file, QueuedMessage envelope) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        envelope.write(buffer);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(buffer.toByteArray()));
            ch.force(true);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a folder; the rename is then as durable as it gets.
            LOG.debug("cannot fsync folder {}: {}", dir, e.toString());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
