package org.longbel.core.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.longbel.core.KvCacheFullException;

/** Block accounting of the paged cache: sharing, copy-on-write, release, budget. */
class PagedKvCacheTest {

    private static final int LAYERS = 2, KV_DIM = 3, BLOCK = 4;
    private static final long BLOCK_BYTES = 2L * LAYERS * BLOCK * KV_DIM * Float.BYTES;

    private static void grow(PagedKvCache cache, int seq, int tokens) {
        cache.extend(new int[] {seq}, new int[] {tokens});
    }

    @Test
    void forkSharesBlocksAndCopiesOnlyAPartialLastBlockOnWrite() {
        try (PagedKvCache cache = new PagedKvCache(LAYERS, KV_DIM, BLOCK, 100 * BLOCK_BYTES)) {
            assertEquals(BLOCK_BYTES, cache.blockBytes());
            int a = cache.newSequence();
            grow(cache, a, 6);
            MemorySegment last = cache.blocks(a)[1];
            last.set(ValueLayout.JAVA_FLOAT, cache.keyOffset(1, 1), 42f);
            assertEquals(2 * BLOCK_BYTES, cache.bytesInUse());

            int b = cache.fork(a);
            assertEquals(6, cache.length(b));
            assertEquals(2 * BLOCK_BYTES, cache.bytesInUse(), "fork allocates nothing");
            grow(cache, b, 1);
            assertEquals(3 * BLOCK_BYTES, cache.bytesInUse(), "one copy of the partial block");
            assertSame(cache.blocks(a)[0], cache.blocks(b)[0], "full blocks stay shared");
            assertNotSame(last, cache.blocks(b)[1]);
            assertEquals(42f, cache.blocks(b)[1].get(ValueLayout.JAVA_FLOAT, cache.keyOffset(1, 1)), "copy keeps the data");
            grow(cache, a, 1);
            assertSame(last, cache.blocks(a)[1], "the last owner writes in place");
            assertEquals(3 * BLOCK_BYTES, cache.bytesInUse());

            cache.free(a);
            assertEquals(2 * BLOCK_BYTES, cache.bytesInUse(), "the shared first block survives");
            cache.free(b);
            assertEquals(0, cache.bytesInUse());
            assertThrows(IllegalArgumentException.class, () -> cache.length(b));
        }
    }

    @Test
    void forkAtABlockBoundaryNeverCopies() {
        try (PagedKvCache cache = new PagedKvCache(LAYERS, KV_DIM, BLOCK, 100 * BLOCK_BYTES)) {
            int a = cache.newSequence();
            grow(cache, a, 8);
            int b = cache.fork(a), c = cache.fork(a);
            cache.extend(new int[] {b, c}, new int[] {1, 5});
            assertEquals((2 + 1 + 2) * BLOCK_BYTES, cache.bytesInUse());
        }
    }

    @Test
    void twoForksOfOnePartialBlockInOneStepCopyOnlyOnce() {
        try (PagedKvCache cache = new PagedKvCache(LAYERS, KV_DIM, BLOCK, 3 * BLOCK_BYTES)) {
            int a = cache.newSequence();
            grow(cache, a, 5);
            int b = cache.fork(a);
            // a and b both write into the shared partial block: one copy, and the budget of 3 blocks suffices
            cache.extend(new int[] {a, b}, new int[] {1, 1});
            assertEquals(3 * BLOCK_BYTES, cache.bytesInUse());
            assertNotSame(cache.blocks(a)[1], cache.blocks(b)[1]);
        }
    }

    @Test
    void budgetIsEnforcedAllOrNothing() {
        try (PagedKvCache cache = new PagedKvCache(LAYERS, KV_DIM, BLOCK, 2 * BLOCK_BYTES + 5)) {
            int a = cache.newSequence(), b = cache.newSequence();
            grow(cache, a, 3);
            KvCacheFullException e = assertThrows(KvCacheFullException.class,
                    () -> cache.extend(new int[] {a, b}, new int[] {2, 4}));
            assertTrue(e.getMessage().contains("needs 2 more block(s)") && e.getMessage().contains("1 of the 2 blocks"),
                    e.getMessage());
            assertEquals(3, cache.length(a));
            assertEquals(0, cache.length(b));
            assertEquals(BLOCK_BYTES, cache.bytesInUse());
        }
    }

    @Test
    void truncateReleasesTrailingBlocksAndFreedBlocksAreReused() {
        try (PagedKvCache cache = new PagedKvCache(LAYERS, KV_DIM, BLOCK, 3 * BLOCK_BYTES)) {
            int a = cache.newSequence();
            grow(cache, a, 12);
            MemorySegment third = cache.blocks(a)[2];
            cache.truncate(a, 5);
            assertEquals(5, cache.length(a));
            assertEquals(2 * BLOCK_BYTES, cache.bytesInUse());
            grow(cache, a, 7);
            assertSame(third, cache.blocks(a)[2], "a released block is reused, not reallocated");
        }
    }
}
