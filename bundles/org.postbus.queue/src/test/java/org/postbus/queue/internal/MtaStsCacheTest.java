package org.postbus.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.testkit.LogCapture;

/** The MTA-STS cache file on its own: what goes in comes out, and nothing bad comes out. */
class MtaStsCacheTest {

    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

    @TempDir
    Path dir;

    private MtaStsCache cache(int max) {
        return new MtaStsCache(dir.resolve(MtaStsCache.FILE_NAME), max);
    }

    private static MtaSts.Policy policy(String id, long expiresIn, String... mx) {
        return new MtaSts.Policy(id, mx.length == 0 ? MtaSts.Mode.NONE : MtaSts.Mode.ENFORCE, List.of(mx),
                NOW.minusSeconds(60), NOW.plusSeconds(expiresIn));
    }

    @Test
    void policiesComeBackWithTheirIdModePatternsAndTimes() throws Exception {
        Map<String, MtaSts.Policy> saved = new HashMap<>();
        saved.put("example.org", policy("20261128T01", 86400, "mail.example.org", "*.example.net"));
        saved.put("none.test", policy("x1", 600));
        cache(10).save(saved);
        assertEquals(saved, cache(10).load(NOW));
        assertFalse(Files.exists(dir.resolve(MtaStsCache.FILE_NAME + ".tmp")), "the temporary file was renamed");
    }

    @Test
    void expiredPoliciesAreDroppedAtLoad() throws Exception {
        cache(10).save(Map.of("gone.test", policy("1", 10, "mx.gone.test"), "kept.test", policy("2", 100, "mx.kept.test")));
        assertEquals(Set.of("kept.test"), cache(10).load(NOW.plusSeconds(10)).keySet());
        assertEquals(Map.of(), cache(10).load(NOW.plusSeconds(100)));
    }

    @Test
    void loadKeepsAtMostTheBoundDroppingTheSoonestExpiring() throws Exception {
        Map<String, MtaSts.Policy> saved = new HashMap<>();
        for (int i = 1; i <= 5; i++) {
            saved.put("d" + i + ".test", policy("id" + i, i * 100L, "mx.d" + i + ".test"));
        }
        cache(10).save(saved);
        assertEquals(Set.of("d4.test", "d5.test"), cache(2).load(NOW).keySet());
        Map<String, MtaSts.Policy> trimmed = new HashMap<>(saved);
        cache(3).trim(trimmed);
        assertEquals(Set.of("d3.test", "d4.test", "d5.test"), trimmed.keySet());
    }

    @Test
    void damagedFilesAreIgnoredWithAWarning() throws Exception {
        Path file = dir.resolve(MtaStsCache.FILE_NAME);
        List<byte[]> damaged = List.of(
                new byte[] {0, (byte) 0xff, (byte) 0xfe, '\n', 1},
                "not a cache\n".getBytes(StandardCharsets.UTF_8),
                "# postbus mta-sts cache v1\nexample.org\tid\tENFORCE\t1\tsoon\tmx.example.org\n"
                        .getBytes(StandardCharsets.UTF_8),
                "# postbus mta-sts cache v1\nexample.org\tid\tSTRICT\t1\t1900000000\tmx.example.org\n"
                        .getBytes(StandardCharsets.UTF_8),
                "# postbus mta-sts cache v1\nexample.org\tid\tENFORCE\t1\t1900000000\n".getBytes(StandardCharsets.UTF_8),
                "# postbus mta-sts cache v1\nexample.org\tid\tENFOR".getBytes(StandardCharsets.UTF_8));
        for (byte[] content : damaged) {
            Files.write(file, content);
            try (LogCapture log = new LogCapture()) {
                assertEquals(Map.of(), cache(10).load(NOW));
                List<String> warnings = log.lines("WARN");
                assertEquals(1, warnings.size(), String.join("\n", log.lines()));
                assertTrue(warnings.get(0).contains(file.toString()), warnings.get(0));
            }
        }
    }

    @Test
    void noFileIsAnEmptyCacheWithoutAWarning() {
        try (LogCapture log = new LogCapture()) {
            assertEquals(Map.of(), cache(10).load(NOW));
            assertEquals(List.of(), log.lines("WARN"));
        }
    }

    @Test
    void aPolicyThatCannotBeWrittenAsALineStaysOutOfTheFile() throws Exception {
        Map<String, MtaSts.Policy> saved = new HashMap<>();
        saved.put("tab.test", policy("a\tb", 100, "mx.tab.test"));
        saved.put("fine.test", policy("c", 100, "mx.fine.test"));
        cache(10).save(saved);
        assertEquals(Set.of("fine.test"), cache(10).load(NOW).keySet());
    }
}
