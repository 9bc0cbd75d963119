package org.longbel.core.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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
            MemorySegment last = HostBlocks.blocks(cache, a)[1];
            last.set(ValueLayout.JAVA_FLOAT, HostBlocks.keyOffset(cache, 1, 1), 42f);
            assertEquals(2 * BLOCK_BYTES, cache.bytesInUse());

            int b = cache.fork(a);
            assertEquals(6, cache.length(b));
            assertEquals(2 * BLOCK_BYTES, cache.bytesInUse(), "fork allocates nothing");
            grow(cache, b, 1);
            assertEquals(3 * BLOCK_BYTES, cache.bytesInUse(), "one copy of the partial block");
            assertSame(HostBlocks.blocks(cache, a)[0], HostBlocks.blocks(cache, b)[0], "full blocks stay shared");
            assertNotSame(last, HostBlocks.blocks(cache, b)[1]);
            assertEquals(42f, HostBlocks.blocks(cache, b)[1].get(ValueLayout.JAVA_FLOAT, HostBlocks.keyOffset(cache, 1, 1)), "copy keeps the data");
            grow(cache, a, 1);
            assertSame(last, HostBlocks.blocks(cache, a)[1], "the last owner writes in place");
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
            assertNotSame(HostBlocks.blocks(cache, a)[1], HostBlocks.blocks(cache, b)[1]);
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
            MemorySegment third = HostBlocks.blocks(cache, a)[2];
            cache.truncate(a, 5);
            assertEquals(5, cache.length(a));
            assertEquals(2 * BLOCK_BYTES, cache.bytesInUse());
            grow(cache, a, 7);
            assertSame(third, HostBlocks.blocks(cache, a)[2], "a released block is reused, not reallocated");
        }
    }

    @Test
    void aSequenceTwiceInOneExtendCannotSlipPastTheBudget() {
        try (PagedKvCache cache = new PagedKvCache(LAYERS, KV_DIM, BLOCK, BLOCK_BYTES)) {
            int a = cache.newSequence();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cache.extend(new int[] {a, a}, new int[] {BLOCK, BLOCK}));
            assertTrue(e.getMessage().contains("sequence " + a + " appears twice"), e.getMessage());
            assertEquals(0, cache.length(a));
            assertEquals(0, cache.bytesInUse());
        }
    }

    @Test
    void aBudgetBelowOneBlockSaysSo() {
        try (PagedKvCache cache = new PagedKvCache(LAYERS, KV_DIM, BLOCK, BLOCK_BYTES - 1)) {
            int a = cache.newSequence();
            KvCacheFullException e = assertThrows(KvCacheFullException.class, () -> grow(cache, a, 1));
            assertTrue(e.getMessage().contains("budget of " + (BLOCK_BYTES - 1) + " bytes is smaller than one block ("
                    + BLOCK_BYTES + " bytes") && e.getMessage().contains("at least " + BLOCK_BYTES), e.getMessage());
            grow(cache, a, 0);
            assertEquals(0, cache.bytesInUse());
        }
    }

    /**
     * Thousands of random new/fork/extend/truncate/free steps against a tight budget. After every step the
     * bytes in use equal the distinct blocks of the live sequences (no leak, no double free), and every token
     * of every live sequence still reads back the value written for it (copy-on-write never lets one sequence
     * see another's writes), and the live sequences are counted exactly. At the end, with everything freed,
     * nothing is in use.
     */
    @Test
    void randomForkFreeAndExtendNeverLeakOrCorrupt() {
        Random random = new Random(42);
        try (PagedKvCache cache = new PagedKvCache(LAYERS, KV_DIM, BLOCK, 40 * BLOCK_BYTES)) {
            Map<Integer, List<Float>> written = new HashMap<>();
            int full = 0;
            for (int step = 0; step < 4000; step++) {
                List<Integer> live = new ArrayList<>(written.keySet());
                Collections.sort(live);
                int op = live.isEmpty() ? 0 : random.nextInt(10);
                if (op == 0) {
                    written.put(cache.newSequence(), new ArrayList<>());
                } else if (op <= 2) {
                    int parent = live.get(random.nextInt(live.size()));
                    written.put(cache.fork(parent), new ArrayList<>(written.get(parent)));
                } else if (op <= 3) {
                    int seq = live.get(random.nextInt(live.size()));
                    cache.free(seq);
                    written.remove(seq);
                } else if (op <= 4) {
                    int seq = live.get(random.nextInt(live.size()));
                    int length = random.nextInt(cache.length(seq) + 1);
                    cache.truncate(seq, length);
                    written.get(seq).subList(length, written.get(seq).size()).clear();
                } else {
                    Collections.shuffle(live, random);
                    int[] seqs = live.subList(0, 1 + random.nextInt(Math.min(3, live.size()))).stream()
                            .mapToInt(Integer::intValue).toArray();
                    int[] counts = new int[seqs.length];
                    for (int i = 0; i < seqs.length; i++) counts[i] = random.nextInt(7);
                    long before = cache.bytesInUse();
                    try {
                        cache.extend(seqs, counts);
                    } catch (KvCacheFullException e) {
                        full++;
                        assertEquals(before, cache.bytesInUse(), "a refused extend changes nothing");
                        for (int seq : seqs) assertEquals(written.get(seq).size(), cache.length(seq));
                        continue;
                    }
                    for (int i = 0; i < seqs.length; i++) {
                        for (int k = 0; k < counts[i]; k++) {
                            int pos = written.get(seqs[i]).size();
                            float value = step * 8 + i + k / 16f;
                            HostBlocks.blocks(cache, seqs[i])[pos / BLOCK].set(ValueLayout.JAVA_FLOAT, HostBlocks.valueOffset(cache, 1, pos % BLOCK), value);
                            written.get(seqs[i]).add(value);
                        }
                    }
                }
                checkAccounting(cache, written);
            }
            assertTrue(full > 0, "the budget was never reached; the test does not exercise refusals");
            for (int seq : new ArrayList<>(written.keySet())) cache.free(seq);
            assertEquals(0, cache.bytesInUse());
            assertEquals(0, cache.liveSequences());
        }
    }

    private static void checkAccounting(PagedKvCache cache, Map<Integer, List<Float>> written) {
        Set<MemorySegment> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<Integer, List<Float>> e : written.entrySet()) {
            MemorySegment[] blocks = HostBlocks.blocks(cache, e.getKey());
            List<Float> values = e.getValue();
            assertEquals(values.size(), cache.length(e.getKey()));
            assertEquals((values.size() + BLOCK - 1) / BLOCK, blocks.length);
            for (int pos = 0; pos < values.size(); pos++) {
                float actual = blocks[pos / BLOCK].get(ValueLayout.JAVA_FLOAT, HostBlocks.valueOffset(cache, 1, pos % BLOCK));
                assertEquals(values.get(pos), actual, "sequence " + e.getKey() + ", position " + pos);
            }
            distinct.addAll(List.of(blocks));
        }
        assertEquals(distinct.size() * BLOCK_BYTES, cache.bytesInUse());
        assertEquals(written.size(), cache.liveSequences());
    }
}
