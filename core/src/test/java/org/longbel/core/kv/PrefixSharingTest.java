package org.longbel.core.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.longbel.core.KvCacheFullException;

/** The prefix index of the paged cache: what is adopted, what never is, LRU reclaim, the budget. */
class PrefixSharingTest {

    private static final int LAYERS = 2, KV_DIM = 3, BLOCK = 4;
    private static final long BLOCK_BYTES = 2L * LAYERS * BLOCK * KV_DIM * Float.BYTES;

    /** Appends {@code tokens}, stamps every written slot with its token id (a stand-in for K/V), commits. */
    private static void write(PagedKvCache cache, int seq, int[] tokens) {
        int start = cache.length(seq);
        cache.extend(new int[] {seq}, new int[][] {tokens});
        for (int i = 0; i < tokens.length; i++) {
            int p = start + i;
            HostBlocks.block(cache, seq, p / BLOCK).set(ValueLayout.JAVA_FLOAT, HostBlocks.keyOffset(cache, 0, p % BLOCK), tokens[i] + 0.5f);
        }
        cache.commit(new int[] {seq});
    }

    private static float stamp(PagedKvCache cache, int seq, int p) {
        return HostBlocks.block(cache, seq, p / BLOCK).get(ValueLayout.JAVA_FLOAT, HostBlocks.keyOffset(cache, 0, p % BLOCK));
    }

    private static int[] range(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) out[i] = from + i;
        return out;
    }

    @Test
    void aNewSequenceAdoptsTheFullBlocksOfItsCommonPrefixOnly() {
        try (PagedKvCache cache = new PagedKvCache(LAYERS, KV_DIM, BLOCK, 100 * BLOCK_BYTES)) {
            int a = cache.newSequence();
            write(cache, a, range(0, 11)); // blocks [0-3] [4-7] full, [8-10] partial
            int[] prompt = range(0, 14);
            prompt[6] = 99; // differs inside the second block
            int b = cache.newSequence();
            assertEquals(4, cache.adoptPrefix(b, prompt, prompt.length - 1));
            assertSame(HostBlocks.block(cache, a, 0), HostBlocks.block(cache, b, 0));
            assertEquals(4, cache.length(b));

            int c = cache.newSequence();
            assertEquals(8, cache.adoptPrefix(c, range(0, 20), 19), "both full blocks; the partial one never");
            assertEquals(0, cache.adoptPrefix(cache.newSequence(), range(1, 20), 19), "a prefix must start at position 0");
        }
    }

    @Test
    void adoptionLeavesAtLeastTheTokensTheCallerKeepsBack() {
        try (PagedKvCache cache = new PagedKvCache(LAYERS, KV_DIM, BLOCK, 100 * BLOCK_BYTES)) {
            write(cache, cache.newSequence(), range(0, 8));
            int b = cache.newSequence();
            assertEquals(4, cache.adoptPrefix(b, range(0, 8), 7), "the last token must still be prefilled for its logits");
            assertThrows(IllegalArgumentException.class, () -> cache.adoptPrefix(b, range(0, 8), 7), "only an empty sequence adopts");
        }
    }

    @Test
    void adoptedBlocksAreNeverWrittenAndGrowthCopiesNothingButNewBlocks() {
        try (PagedKvCache cache = new PagedKvCache(LAYERS, KV_DIM, BLOCK, 100 * BLOCK_BYTES)) {
            int a = cache.newSequence();
            write(cache, a, range(0, 8));
            cache.free(a); // both blocks idle but indexed
            assertEquals(0, cache.bytesInUse());
            assertEquals(2 * BLOCK_BYTES, cache.cachedBytes());
            int b = cache.newSequence();
            assertEquals(8, cache.adoptPrefix(b, range(0, 9), 8));
            assertEquals(2 * BLOCK_BYTES, cache.bytesInUse());
            assertEquals(0, cache.cachedBytes());
            write(cache, b, new int[] {8});
            assertEquals(8.5f, stamp(cache, b, 8));
            assertEquals(3.5f, stamp(cache, b, 3), "adopted contents are the original ones");
        }
    }

    @Test
    void aSequenceTruncatedIntoAnIndexedBlockCopiesItBeforeWriting() {
        try (PagedKvCache cache = new PagedKvCache(LAYERS, KV_DIM, BLOCK, 100 * BLOCK_BYTES)) {
            int a = cache.newSequence();
            write(cache, a, range(0, 8));
            MemorySegment indexed = HostBlocks.block(cache, a, 1);
            cache.truncate(a, 6);
            write(cache, a, new int[] {70, 71});
            assertNotSame(indexed, HostBlocks.block(cache, a, 1));
            int b = cache.newSequence();
            assertEquals(8, cache.adoptPrefix(b, range(0, 9), 8));
            assertEquals(7.5f, stamp(cache, b, 7), "the indexed block still holds its own tokens");
        }
    }

    @Test
    void idleBlocksAreReclaimedOldestFirstOnlyWhenAnAllocationNeedsRoom() {
        try (PagedKvCache cache = new PagedKvCache(LAYERS, KV_DIM, BLOCK, 4 * BLOCK_BYTES)) {
            int a = cache.newSequence();
            write(cache, a, range(0, 8));
            cache.free(a);
            int b = cache.newSequence();
            write(cache, b, range(100, 108));
            cache.free(b);
            assertEquals(4 * BLOCK_BYTES, cache.cachedBytes(), "all four blocks stay indexed");
            assertEquals(4 * BLOCK_BYTES, cache.freeBytes(), "idle blocks count as free");

            int c = cache.newSequence();
            write(cache, c, range(200, 204)); // needs one block: reclaims the oldest idle one, a's first
            assertEquals(1, cache.evictions());
            assertEquals(0, cache.adoptPrefix(cache.newSequence(), range(0, 9), 8), "a's chain lost its first block");
            int d = cache.newSequence();
            assertEquals(8, cache.adoptPrefix(d, range(100, 109), 8), "b's blocks are still there");
        }
    }

    @Test
    void theBudgetCountsOnlyBlocksInUse() {
        try (PagedKvCache cache = new PagedKvCache(LAYERS, KV_DIM, BLOCK, 2 * BLOCK_BYTES)) {
            int a = cache.newSequence();
            write(cache, a, range(0, 8));
            int b = cache.newSequence();
            assertEquals(8, cache.adoptPrefix(b, range(0, 9), 8));
            assertThrows(KvCacheFullException.class, () -> cache.extend(new int[] {b}, new int[][] {{8}}));
            assertEquals(8, cache.length(b), "nothing changed");
            cache.free(a);
            assertThrows(KvCacheFullException.class, () -> cache.extend(new int[] {b}, new int[][] {{8}}),
                    "b still holds both blocks");
        }
    }

    @Test
    void turningSharingOffForgetsEveryBlockAndAdoptsNothing() {
        try (PagedKvCache cache = new PagedKvCache(LAYERS, KV_DIM, BLOCK, 100 * BLOCK_BYTES)) {
            int a = cache.newSequence();
            write(cache, a, range(0, 8));
            cache.free(a);
            cache.setPrefixSharing(false);
            assertEquals(0, cache.cachedBytes());
            assertEquals(0, cache.adoptPrefix(cache.newSequence(), range(0, 9), 8));
            write(cache, cache.newSequence(), range(0, 8));
            assertEquals(0, cache.adoptPrefix(cache.newSequence(), range(0, 9), 8), "nothing is indexed while off");
        }
    }

    @Test
    void tokensWrittenWithoutIdsAreNeverIndexed() {
        try (PagedKvCache cache = new PagedKvCache(LAYERS, KV_DIM, BLOCK, 100 * BLOCK_BYTES)) {
            int a = cache.newSequence();
            cache.extend(new int[] {a}, new int[] {8});
            cache.commit(new int[] {a});
            assertEquals(0, cache.adoptPrefix(cache.newSequence(), new int[] {-1, -1, -1, -1, 0}, 4));
        }
    }

    /**
     * Random prompts over a tiny alphabet (so prefixes collide often), random frees, forks, truncations and a
     * small budget: every adopted block holds exactly the tokens of the prompt at its positions, and the block
     * accounting never leaks.
     */
    @Test
    void neverHandsOutABlockWhoseTokensDiffer() {
        Random random = new Random(11);
        try (PagedKvCache cache = new PagedKvCache(LAYERS, KV_DIM, BLOCK, 24 * BLOCK_BYTES)) {
            Map<Integer, int[]> live = new HashMap<>();
            List<Integer> handles = new ArrayList<>();
            for (int step = 0; step < 4000; step++) {
                int op = random.nextInt(10);
                if (op < 5 || handles.isEmpty()) {
                    int[] prompt = new int[1 + random.nextInt(14)];
                    for (int i = 0; i < prompt.length; i++) prompt[i] = random.nextInt(2);
                    int s = cache.newSequence();
                    int adopted = cache.adoptPrefix(s, prompt, prompt.length - 1);
                    for (int p = 0; p < adopted; p++) assertEquals(prompt[p] + 0.5f, stamp(cache, s, p), "position " + p);
                    try {
                        write(cache, s, Arrays.copyOfRange(prompt, adopted, prompt.length));
                        live.put(s, prompt);
                        handles.add(s);
                    } catch (KvCacheFullException e) {
                        cache.free(s);
                    }
                } else if (op < 8) {
                    int s = handles.remove(random.nextInt(handles.size()));
                    cache.free(s);
                    live.remove(s);
                } else if (op == 8) {
                    int parent = handles.get(random.nextInt(handles.size()));
                    int child = cache.fork(parent);
                    int extra = random.nextInt(2);
                    try {
                        write(cache, child, new int[] {extra});
                        int[] t = live.get(parent);
                        int[] grown = Arrays.copyOf(t, t.length + 1);
                        grown[t.length] = extra;
                        live.put(child, grown);
                        handles.add(child);
                    } catch (KvCacheFullException e) {
                        cache.free(child);
                    }
                } else {
                    int s = handles.get(random.nextInt(handles.size()));
                    int[] t = live.get(s);
                    int keep = random.nextInt(t.length + 1);
                    cache.truncate(s, keep);
                    live.put(s, Arrays.copyOf(t, keep));
                }
                for (int s : handles) {
                    int[] t = live.get(s);
                    for (int p = 0; p < t.length; p++) assertEquals(t[p] + 0.5f, stamp(cache, s, p));
                }
            }
            for (int s : handles) cache.free(s);
            assertEquals(0, cache.bytesInUse());
            assertTrue(cache.cachedBytes() <= 24 * BLOCK_BYTES);
        }
    }
}
