package org.longbel.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.longbel.core.backend.CpuBackend;
import org.longbel.core.backend.KernelWarmup;

/**
 * What {@link LlamaModel#load} does for a fast first forward changes no result: the weight prefetch
 * ({@code longbel.prefetch}) and the opt-in kernel warm-up ({@code longbel.warmup}) give bitwise the same logits
 * as a load without them, and both stop cleanly when the model is closed at once.
 */
class ColdStartTest {

    private static final int[] IDS = {128000, 58, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000};

    /** Logits at every position of {@link #IDS}, from a model loaded with the given system properties. */
    private static float[][] logits(Path dir, String prefetch, String warmup) {
        String oldPrefetch = System.getProperty(LlamaModel.PREFETCH_PROPERTY), oldWarmup = System.getProperty(KernelWarmup.PROPERTY);
        System.setProperty(KernelWarmup.PROPERTY, warmup);
        System.setProperty(LlamaModel.PREFETCH_PROPERTY, prefetch);
        try (LlamaModel model = LlamaModel.load(dir, 2); KvCache cache = model.newCache(4, 1 << 20)) {
            int seq = cache.newSequence();
            int[] all = new int[IDS.length];
            for (int i = 0; i < all.length; i++) all[i] = i;
            return model.forward(cache, new int[] {seq}, new int[][] {IDS}, new int[][] {all})[0];
        } finally {
            restore(LlamaModel.PREFETCH_PROPERTY, oldPrefetch);
            restore(KernelWarmup.PROPERTY, oldWarmup);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    @Test
    void warmupChangesNoLogit() {
        Path tiny = TestCheckpoints.fixtureModel("tiny-llama32");
        float[][] plain = logits(tiny, "false", "false");
        float[][] warmed = logits(tiny, "true", "true");
        assertEquals(plain.length, warmed.length);
        for (int i = 0; i < plain.length; i++) assertArrayEquals(plain[i], warmed[i], "position " + i);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void warmupRunsEveryOperationForEachElementType(DType dtype) throws Exception {
        ModelConfig config = ModelConfigReader.read(TestCheckpoints.fixtureModel("tiny-llama32").resolve("config.json"));
        try (CpuBackend cpu = new CpuBackend(2)) {
            KernelWarmup.Report r = KernelWarmup.run(cpu, config, dtype, 200_000_000L, () -> false);
            assertTrue(r.rounds() >= 1, r.toString());
            assertTrue(r.nanos() >= r.firstRoundNanos(), r.toString());
        }
    }

    @Test
    void warmupStopsWhenAskedTo() throws Exception {
        ModelConfig config = ModelConfigReader.read(TestCheckpoints.fixtureModel("tiny-llama32").resolve("config.json"));
        try (CpuBackend cpu = new CpuBackend(1)) {
            assertEquals(0, KernelWarmup.run(cpu, config, DType.BF16, 1_000_000_000L, () -> true).rounds());
        }
    }

    @Test
    void warmupIsOffByDefault() {
        String old = System.getProperty(KernelWarmup.PROPERTY);
        System.clearProperty(KernelWarmup.PROPERTY);
        try {
            assertFalse(KernelWarmup.enabled());
        } finally {
            restore(KernelWarmup.PROPERTY, old);
        }
    }

    @Test
    void closingRightAfterLoadStopsPrefetchAndWarmup(@TempDir Path tmp) {
        Path dir = TestCheckpoints.writeSmall(tmp, "small", true, DType.F32);
        String old = System.getProperty(KernelWarmup.PROPERTY);
        System.setProperty(KernelWarmup.PROPERTY, "true");
        try {
            for (int i = 0; i < 3; i++) LlamaModel.load(dir, 2).close();
        } finally {
            restore(KernelWarmup.PROPERTY, old);
        }
    }

    @Test
    void prefetchedCheckpointReadsTheSame(@TempDir Path tmp) {
        Path dir = TestCheckpoints.writeSmall(tmp, "small", false, DType.BF16);
        try (Checkpoint a = Checkpoint.open(dir); Checkpoint b = Checkpoint.open(dir)) {
            a.prefetch();
            a.prefetch(); // once per checkpoint
            Tensor ta = a.weights().lmHead(), tb = b.weights().lmHead();
            assertEquals(ta.data().byteSize(), tb.data().byteSize());
            assertEquals(-1L, ta.data().mismatch(tb.data()));
        }
    }
}
