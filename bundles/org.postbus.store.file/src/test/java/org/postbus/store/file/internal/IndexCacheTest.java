package org.postbus.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index page cache is split into more locked segments than MVStore's default of 16. */
class IndexCacheTest {

    @TempDir
    Path dir;

    @Test
    void theCacheIsSplitFinerButNoSegmentIsTooSmallForAPage() {
        assertEquals(64, Index.cacheConcurrency(32), "the default 32 MiB cache");
        assertEquals(64, Index.cacheConcurrency(16));
        assertEquals(64, Index.cacheConcurrency(Integer.MAX_VALUE));
        assertEquals(32, Index.cacheConcurrency(8), "256 KiB a segment");
        assertEquals(16, Index.cacheConcurrency(5), "a power of two");
        assertEquals(4, Index.cacheConcurrency(1));
        assertEquals(4, Index.cacheConcurrency(0));
    }

    @Test
    void mvStoreAcceptsTheSplit() {
        for (int mib : new int[] {1, 5, 32}) {
            try (Index index = Index.open(dir.resolve("index-" + mib + ".mv.db"), mib)) {
                index.meta.put("k", 1L);
                index.store.commit();
                assertEquals(1L, index.meta.get("k"));
            }
        }
    }
}
