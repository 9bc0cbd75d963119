package org.longbel.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.longbel.core.BadCheckpointTest.assertContains;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longbel.core.backend.Backend;
import org.longbel.core.backend.CpuBackend;
import org.longbel.core.kv.PagedKvCache;

/**
 * Bad arguments to {@link LlamaModel#forward} on a small random checkpoint (40 tokens, 256 positions, 2 layers):
 * each is rejected with a message naming what is wrong, and the cache is left as it was; a forward that fails
 * half-way through the layers leaves no tokens behind either.
 */
class ForwardInputTest {

    private static final int BLOCK = 4;
    private static final long BUDGET = 1L << 20;

    @TempDir
    static Path tmp;
    private static Checkpoint checkpoint;
    private static LlamaModel model;

    @BeforeAll
    static void load() {
        checkpoint = Checkpoint.open(TestCheckpoints.writeSmall(tmp, "model", true, DType.F32));
        model = new LlamaModel(checkpoint.config(), checkpoint.weights(), new CpuBackend(1), checkpoint);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static float[][] run(LlamaModel lm, KvCache cache, int seq, int... ids) {
        return lm.forward(cache, new int[] {seq}, new int[][] {ids}, new int[][] {{ids.length - 1}})[0];
    }

    @Test
    void tokenIdOutsideTheVocabularyIsNamed() {
        try (KvCache cache = model.newCache(BLOCK, BUDGET)) {
            int seq = cache.newSequence();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(model, cache, seq, 1, 2, 40));
            assertContains(e.getMessage(), "token id 40 (sequence " + seq + ", index 2)", "outside the vocabulary [0, 40)");
            e = assertThrows(IllegalArgumentException.class, () -> run(model, cache, seq, -3));
            assertContains(e.getMessage(), "token id -3");
            assertEquals(0, cache.length(seq));
            assertEquals(0, cache.bytesInUse());
        }
    }

    @Test
    void positionsBeyondMaxPositionEmbeddingsAreRejected() {
        try (KvCache cache = model.newCache(BLOCK, BUDGET)) {
            int seq = cache.newSequence();
            run(model, cache, seq, new int[250]);
            long bytes = cache.bytesInUse();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(model, cache, seq, new int[7]));
            assertContains(e.getMessage(), "sequence " + seq + " would reach 257 tokens", "max_position_embeddings 256");
            assertEquals(250, cache.length(seq));
            assertEquals(bytes, cache.bytesInUse());
            run(model, cache, seq, new int[6]);
            assertEquals(256, cache.length(seq));
        }
    }

    @Test
    void anEmptyTokenListAddsNothing() {
        try (KvCache cache = model.newCache(BLOCK, BUDGET)) {
            int a = cache.newSequence(), b = cache.newSequence();
            float[][][] out = model.forward(cache, new int[] {a, b}, new int[][] {{}, {5, 6}}, new int[][] {{}, {1}});
            assertEquals(0, out[0].length);
            assertEquals(1, out[1].length);
            assertEquals(0, cache.length(a));
            assertEquals(2, cache.length(b));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(cache, new int[] {a}, new int[][] {{}}, new int[][] {{0}}));
            assertContains(e.getMessage(), "logit indices of sequence " + a, "in [0, 0)");
        }
    }

    @Test
    void aSequenceTwiceInOneCallIsRejected() {
        try (KvCache cache = model.newCache(BLOCK, BUDGET)) {
            int seq = cache.newSequence();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(cache, new int[] {seq, seq}, new int[][] {{1}, {2}}, new int[][] {{0}, {0}}));
            assertContains(e.getMessage(), "sequence " + seq + " appears twice");
            assertEquals(0, cache.length(seq));
        }
    }

    @Test
    void anUnknownOrFreedSequenceIsRejected() {
        try (KvCache cache = model.newCache(BLOCK, BUDGET)) {
            int seq = cache.newSequence();
            cache.free(seq);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(model, cache, seq, 1));
            assertContains(e.getMessage(), "unknown or freed KV-cache sequence " + seq);
            e = assertThrows(IllegalArgumentException.class, () -> run(model, cache, 99, 1));
            assertContains(e.getMessage(), "sequence 99");
        }
    }

    @Test
    void aCacheOfAnotherShapeIsRejected() {
        ModelConfig c = model.config();
        try (PagedKvCache wider = new PagedKvCache(c.numLayers(), 2 * c.kvDim(), BLOCK, BUDGET);
             PagedKvCache shallower = new PagedKvCache(c.numLayers() - 1, c.kvDim(), BLOCK, BUDGET)) {
            for (PagedKvCache cache : new PagedKvCache[] {wider, shallower}) {
                int seq = cache.newSequence();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(model, cache, seq, 1));
                assertContains(e.getMessage(), "but this model has " + c.numLayers() + " layers of width " + c.kvDim());
                assertEquals(0, cache.length(seq));
            }
        }
    }

    @Test
    void aForwardThatFailsHalfWayLeavesTheCacheAsItWas() {
        int[] prefix = {1, 2, 3, 4, 5, 6}, step = {7, 8, 9};
        float[][] expected;
        try (KvCache cache = model.newCache(BLOCK, BUDGET)) {
            int seq = cache.newSequence();
            run(model, cache, seq, prefix);
            expected = run(model, cache, seq, step);
        }
        Backend failing = failingAttentionAtLayer(1);
        try (KvCache cache = model.newCache(BLOCK, BUDGET);
             LlamaModel broken = new LlamaModel(model.config(), checkpoint.weights(), failing, null)) {
            int parent = cache.newSequence();
            run(model, cache, parent, prefix);
            int child = cache.fork(parent);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> broken.forward(cache, new int[] {parent, child}, new int[][] {step, step}, new int[][] {{2}, {2}}));
            assertEquals("injected failure", e.getMessage());
            assertEquals(prefix.length, cache.length(parent));
            assertEquals(prefix.length, cache.length(child));
            assertArrayEquals(expected[0], run(model, cache, child, step)[0], "the child continues as if nothing happened");
            assertArrayEquals(expected[0], run(model, cache, parent, step)[0], "so does the parent");
            cache.free(parent);
            cache.free(child);
            assertEquals(0, cache.bytesInUse());
        }
    }

    /** A CPU backend whose attention throws at {@code layer}, after the keys and values were written. */
    private static Backend failingAttentionAtLayer(int layer) {
        CpuBackend cpu = new CpuBackend(1);
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("attention") && (int) args[3] == layer) {
                        throw new IllegalStateException("injected failure");
                    }
                    try {
                        return method.invoke(cpu, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
