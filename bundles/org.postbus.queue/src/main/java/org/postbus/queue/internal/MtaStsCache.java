package org.postbus.queue.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MTA-STS policies on disk, so that a restart does not open the window RFC 8461 section 10.2
 * describes: until its max_age a policy already seen keeps protecting the first delivery after
 * the restart, and its TXT id and fetch time let the refresh logic carry on where it stopped.
 *
 * <p>One line per domain, tab separated: domain, id, mode, fetch time and expiry (epoch
 * seconds), then the MX patterns. Neither a domain nor an id nor a pattern can hold a tab or a
 * line break (DNS names and the id's {@code 1*32(ALPHA / DIGIT)}), so no escaping is needed. The
 * file is replaced whole (written beside, fsync'd, renamed over), so a reader sees the old or the
 * new one; anything it cannot read is a cache miss, never a reason for the queue not to start.
 */
final class MtaStsCache {

    /** Default of the bound on the number of cached domains. */
    static final int DEFAULT_MAX_ENTRIES = 10_000;
    static final String FILE_NAME = "mta-sts-cache.txt";

    private static final Logger LOG = LoggerFactory.getLogger(MtaStsCache.class);
    private static final String HEADER = "# postbus mta-sts cache v1";

    private final Path file;
    private final int maxEntries;

    MtaStsCache(Path file, int maxEntries) {
        this.file = file;
        this.maxEntries = Math.max(1, maxEntries);
    }

    Path file() {
        return file;
    }

    int maxEntries() {
        return maxEntries;
    }

    /**
     * The unexpired policies of the file, at most {@link #maxEntries()} of them (those that expire
     * last); empty when there is no file or it is damaged (logged).
     */
    Map<String, MtaSts.Policy> load(Instant now) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new HashMap<>();
        } catch (IOException | RuntimeException e) {
            LOG.warn("MTA-STS cache {} not read, policies will be fetched again: {}", file, e.toString());
            return new HashMap<>();
        }
        Map<String, MtaSts.Policy> policies = new HashMap<>();
        try {
            if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
                throw new IOException("no cache header");
            }
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length < 5 || f[0].isEmpty() || f[1].isEmpty()) {
                    throw new IOException("line " + (i + 1) + " has " + f.length + " fields");
                }
                MtaSts.Mode mode = MtaSts.Mode.valueOf(f[2]);
                Instant fetched = Instant.ofEpochSecond(Long.parseLong(f[3]));
                Instant expires = Instant.ofEpochSecond(Long.parseLong(f[4]));
                List<String> mx = List.of(f).subList(5, f.length);
                if (mode != MtaSts.Mode.NONE && mx.isEmpty()) {
                    throw new IOException("line " + (i + 1) + " has no mx patterns");
                }
                if (now.isBefore(expires)) {
                    policies.put(f[0].toLowerCase(Locale.ROOT), new MtaSts.Policy(f[1], mode, List.copyOf(mx),
                            fetched, expires));
                }
            }
        } catch (IOException | RuntimeException e) {
            // A half-trusted cache could hold a wrong policy; fetching again is the safe side.
            LOG.warn("MTA-STS cache {} is damaged and ignored, policies will be fetched again: {}", file,
                    e.toString());
            return new HashMap<>();
        }
        trim(policies);
        return policies;
    }

    /**
     * Drops the policies that expire soonest until at most {@link #maxEntries()} remain; they are
     * the ones whose protection ends first anyway.
     */
    void trim(Map<String, MtaSts.Policy> policies) {
        int excess = policies.size() - maxEntries;
        if (excess <= 0) {
            return;
        }
        List<Map.Entry<String, MtaSts.Policy>> sorted = new ArrayList<>(policies.entrySet());
        sorted.sort(Comparator.comparing((Map.Entry<String, MtaSts.Policy> e) -> e.getValue().expires())
                .thenComparing(Map.Entry::getKey));
        for (int i = 0; i < excess; i++) {
            policies.remove(sorted.get(i).getKey());
        }
    }

    /** Replaces the file with these policies; synchronized so that writers do not share the temp file. */
    synchronized void save(Map<String, MtaSts.Policy> policies) throws IOException {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        List<Map.Entry<String, MtaSts.Policy>> sorted = new ArrayList<>(policies.entrySet());
        sorted.sort(Map.Entry.comparingByKey());
        for (Map.Entry<String, MtaSts.Policy> e : sorted) {
            MtaSts.Policy p = e.getValue();
            if (!storable(e.getKey(), p)) {
                continue;
            }
            b.append(e.getKey()).append('\t').append(p.id()).append('\t').append(p.mode().name()).append('\t')
                    .append(p.fetched().getEpochSecond()).append('\t').append(p.expires().getEpochSecond());
            for (String mx : p.mx()) {
                b.append('\t').append(mx);
            }
            b.append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a folder; losing the rename costs a fetch, not mail.
            LOG.debug("cannot fsync folder of {}: {}", file, e.toString());
        }
    }

    /** Whether a value may go into a line of the file as it is. */
    static boolean storable(String value) {
        return !value.isEmpty() && value.chars().noneMatch(c -> c == '\t' || c == '\n' || c == '\r');
    }

    /** Whether every field of a policy may go into the file; one that cannot is kept in memory only. */
    static boolean storable(String domain, MtaSts.Policy p) {
        Collection<String> mx = p.mx();
        return storable(domain) && storable(p.id()) && mx.stream().allMatch(MtaStsCache::storable);
    }
}
