package org.longbel.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Properties of the batched, cached forward on {@code tiny-llama32} (GQA, llama3 RoPE, BF16, tied): a row's
 * logits are bitwise the same however it is computed — incrementally or in one prefill, alone or in a batch,
 * from a forked cache or from scratch, on one thread or two.
 */
class ForwardPropertiesTest {

    private static final int BLOCK = 4;
    private static final long BUDGET = 64L << 20;
    private static LlamaModel model;

    @BeforeAll
    static void load() {
        model = LlamaModel.load(TestCheckpoints.fixtureModel("tiny-llama32"), 2);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static int[] tokens(long seed, int n) {
        Random random = new Random(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = random.nextInt(model.config().vocabSize());
        return ids;
    }

    private static int[] all(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = i;
        return out;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Logits at every position of {@code ids}, from one prefill in a fresh cache. */
    private static float[][] fromScratch(CausalLM lm, int[] ids) {
        try (KvCache cache = lm.newCache(BLOCK, BUDGET)) {
            int seq = cache.newSequence();
            return lm.forward(cache, new int[] {seq}, new int[][] {ids}, new int[][] {all(ids.length)})[0];
        }
    }

    private static float[][] extend(KvCache cache, int seq, int[] ids) {
        return model.forward(cache, new int[] {seq}, new int[][] {ids}, new int[][] {all(ids.length)})[0];
    }

    private static void assertRowsEqual(float[][] expected, float[][] actual, int offset, String what) {
        for (int i = 0; i < actual.length; i++) {
            assertArrayEquals(expected[offset + i], actual[i], what + ", position " + (offset + i));
        }
    }

    @Test
    void aPrefixAdoptedFromAnotherPromptGivesTheSameLogitsAsAFullPrefill() {
        int[] shared = tokens(21, 13);
        int[] first = concat(shared, tokens(22, 6));
        int[] second = concat(shared, tokens(23, 9));
        float[][] expected = fromScratch(model, second);
        try (KvCache cache = model.newCache(BLOCK, BUDGET)) {
            int a = cache.newSequence();
            extend(cache, a, first);
            cache.free(a); // its full blocks stay indexed
            int b = cache.newSequence();
            int adopted = cache.adoptPrefix(b, second, second.length - 1);
            assertEquals(12, adopted, "the three full blocks of the 13 shared tokens");
            assertRowsEqual(expected, extend(cache, b, Arrays.copyOfRange(second, adopted, second.length)), adopted,
                    "after an adopted prefix");
        }
    }

    @Test
    void incrementalDecodingEqualsOneFullForward() {
        int[] ids = tokens(1, 23);
        float[][] full = fromScratch(model, ids);
        try (KvCache cache = model.newCache(BLOCK, BUDGET)) {
            int seq = cache.newSequence();
            assertRowsEqual(full, extend(cache, seq, Arrays.copyOf(ids, 6)), 0, "prefill");
            assertRowsEqual(full, extend(cache, seq, Arrays.copyOfRange(ids, 6, 11)), 6, "prefill of a suffix");
            for (int p = 11; p < ids.length; p++) {
                assertRowsEqual(full, extend(cache, seq, new int[] {ids[p]}), p, "decode");
            }
            assertEquals(ids.length, cache.length(seq));
        }
    }

    @Test
    void aBatchOfMixedLengthsEqualsEachSequenceAlone() {
        int[][] history = {tokens(2, 10), tokens(3, 3), new int[0]};
        int[][] step = {tokens(4, 5), tokens(5, 1), tokens(6, 9)};
        int[][] logitIndices = {{0, 2, 4}, {0}, {3, 8}};
        float[][][] batched;
        try (KvCache cache = model.newCache(BLOCK, BUDGET)) {
            int[] seqs = new int[3];
            for (int i = 0; i < 3; i++) {
                seqs[i] = cache.newSequence();
                if (history[i].length > 0) extend(cache, seqs[i], history[i]);
            }
            batched = model.forward(cache, seqs, step, logitIndices);
        }
        for (int i = 0; i < 3; i++) {
            float[][] alone = fromScratch(model, concat(history[i], step[i]));
            assertEquals(logitIndices[i].length, batched[i].length);
            for (int j = 0; j < logitIndices[i].length; j++) {
                assertArrayEquals(alone[history[i].length + logitIndices[i][j]], batched[i][j],
                        "sequence " + i + ", index " + logitIndices[i][j]);
            }
        }
    }

    @ParameterizedTest(name = "fork after {0} tokens (block size 4)")
    @ValueSource(ints = {10, 8})
    void forkedCachesEqualRecomputation(int prefixLength) {
        int[] prefix = tokens(7, prefixLength), a = tokens(8, 6), b = tokens(9, 3), c = tokens(10, 2), d = tokens(13, 2);
        try (KvCache cache = model.newCache(BLOCK, BUDGET)) {
            int parent = cache.newSequence();
            extend(cache, parent, prefix);
            long before = cache.bytesInUse();
            int child = cache.fork(parent);
            assertEquals(before, cache.bytesInUse(), "a fork shares every block");
            int grandchild = cache.fork(child);

            // interleaved writes: each sequence must keep seeing only its own tokens after the shared prefix
            float[][] childRows = extend(cache, child, a);
            float[][] parentRows = extend(cache, parent, b);
            float[][] grandchildRows = extend(cache, grandchild, c);
            float[][] childMore = extend(cache, child, d);
            cache.free(child);
            float[][] parentMore = extend(cache, parent, d);

            assertRowsEqual(fromScratch(model, concat(prefix, a)), childRows, prefixLength, "child");
            assertRowsEqual(fromScratch(model, concat(prefix, b)), parentRows, prefixLength, "parent");
            assertRowsEqual(fromScratch(model, concat(prefix, c)), grandchildRows, prefixLength, "grandchild");
            assertRowsEqual(fromScratch(model, concat(concat(prefix, a), d)), childMore, prefixLength + a.length, "child again");
            assertRowsEqual(fromScratch(model, concat(concat(prefix, b), d)), parentMore, prefixLength + b.length, "parent again");
        }
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalLogits() {
        int[] ids = tokens(11, 37);
        try (LlamaModel single = LlamaModel.load(TestCheckpoints.fixtureModel("tiny-llama32"), 1)) {
            assertRowsEqual(fromScratch(single, ids), fromScratch(model, ids), 0, "prefill, 2 threads vs 1");
            float[][][] one = batchedDecode(single), two = batchedDecode(model);
            for (int i = 0; i < one.length; i++) assertRowsEqual(one[i], two[i], 0, "batched decode, sequence " + i);
        }
    }

    /** Three sequences with different cached lengths, then one decode step for all of them at once. */
    private static float[][][] batchedDecode(LlamaModel lm) {
        try (KvCache cache = lm.newCache(BLOCK, BUDGET)) {
            int[] seqs = new int[3];
            for (int i = 0; i < 3; i++) {
                seqs[i] = cache.newSequence();
                int[] history = tokens(20 + i, 5 + 4 * i);
                lm.forward(cache, new int[] {seqs[i]}, new int[][] {history}, new int[][] {{history.length - 1}});
            }
            return lm.forward(cache, seqs, new int[][] {{7}, {8}, {9}}, new int[][] {{0}, {0}, {0}});
        }
    }

    @Test
    void exceedingTheBudgetThrowsAClearErrorAndChangesNothing() {
        long blockBytes = 2L * model.config().numLayers() * BLOCK * model.config().kvDim() * Float.BYTES;
        try (KvCache cache = model.newCache(BLOCK, 3 * blockBytes)) {
            int seq = cache.newSequence();
            KvCacheFullException e = assertThrows(KvCacheFullException.class, () -> extend(cache, seq, tokens(12, 13)));
            assertTrue(e.getMessage().contains("KV cache budget exceeded") && e.getMessage().contains("needs 4 more block(s)"),
                    e.getMessage());
            assertEquals(0, cache.length(seq));
            assertEquals(0, cache.bytesInUse());
            extend(cache, seq, tokens(12, 12));
            assertEquals(3 * blockBytes, cache.bytesInUse());
        }
    }

    @Test
    void badInputIsRejectedWithoutTouchingTheCache() {
        try (KvCache cache = model.newCache(BLOCK, BUDGET)) {
            int seq = cache.newSequence();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> extend(cache, seq, new int[] {1, model.config().vocabSize()}));
            assertTrue(e.getMessage().contains("outside the vocabulary"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(cache, new int[] {seq, seq}, new int[][] {{1}, {2}}, new int[][] {{0}, {0}}));
            assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(cache, new int[] {seq}, new int[][] {{1, 2}}, new int[][] {{1, 0}}));
            assertTrue(e.getMessage().contains("ascending"), e.getMessage());
            assertEquals(0, cache.length(seq));
        }
    }
}
