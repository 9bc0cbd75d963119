package org.longbel.cuda.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.longbel.core.Checkpoint;
import org.longbel.core.KvCache;
import org.longbel.core.LlamaModel;
import org.longbel.core.LogSoftmax;
import org.longbel.core.LogitRow;
import org.longbel.core.backend.CpuBackend;
import org.longbel.core.backend.Precision;
import org.longbel.cuda.CudaException;

/**
 * The {@link CudaBackend}'s orchestration on an {@link EmulatedGpu}: the whole Llama forward (weights uploaded,
 * buffers pooled, per-forward tables, paged KV with copy-on-write, the LM head, what is copied back) against the
 * float64 golden fixtures and against the CPU backend. The CUDA kernels themselves run only on a GPU
 * ({@code scripts/gpu-check.sh}).
 */
class CudaBackendEmulatedTest {

    private static final Path FIXTURES = Path.of(System.getProperty("longbel.fixtures", "../../shared/fixtures"));
    private static final long MEMORY = 1L << 30;

    private static LlamaModel emulated(String model, Precision precision, EmulatedGpu gpu) {
        return LlamaModel.load(FIXTURES.resolve("models").resolve(model), new CudaBackend(gpu, precision));
    }

    /** Logits at every {@code stride}-th position of one forward of {@code ids} (the last always included). */
    private static float[][] positions(LlamaModel lm, int[] ids, int stride) {
        int[] at = java.util.stream.IntStream.range(0, ids.length).filter(i -> i % stride == 0 || i == ids.length - 1).toArray();
        try (KvCache cache = lm.newCache(16, lm.kvBytes(ids.length, 16))) {
            return lm.forward(cache, new int[] {cache.newSequence()}, new int[][] {ids}, new int[][] {at})[0];
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama32", "tiny-mha-untied"})
    void theForwardMatchesTheFloat64GoldenLogProbs(String model) throws Exception {
        JsonNode golden = new ObjectMapper().readTree(FIXTURES.resolve("golden").resolve(model).resolve("forward.json").toFile());
        int[] ids = new int[golden.get("input_ids").size()];
        for (int i = 0; i < ids.length; i++) ids[i] = golden.get("input_ids").get(i).asInt();
        EmulatedGpu gpu = new EmulatedGpu(MEMORY);
        float[][] logits;
        try (LlamaModel lm = emulated(model, Precision.FP32, gpu)) {
            logits = positions(lm, ids, 7);
        }
        for (int p = 0; p < ids.length; p += 7) {
            float[] lp = LogSoftmax.of(logits[p / 7]);
            JsonNode top = golden.get("top5_ids").get(p), values = golden.get("top5_logprobs").get(p);
            for (int k = 0; k < 5; k++) {
                assertEquals(values.get(k).asDouble(), lp[top.get(k).asInt()], 1e-3, model + " position " + p + " rank " + k);
            }
            assertEquals(top.get(0).asInt(), LogSoftmax.argmax(lp), model + " position " + p);
        }
        assertTrue(gpu.launched.contains(model.equals("tiny-llama32") ? "embed_bf16" : "gather_rows"), gpu.launched.toString());
        assertTrue(gpu.launched.contains(model.equals("tiny-llama32") ? "rms_norm" : "rms_norm_f32w"));
        assertEquals(0, gpu.ledger().total(), "everything freed on close: " + gpu.ledger().summary());
    }

    @Test
    void prefillThenForkedDecodeStepsMatchTheCpuThroughCopyOnWrite() {
        String model = "tiny-llama32";
        int[] prompt = {128000, 58, 1234, 60, 90, 4567, 92, 345};   // 8 tokens: blocks of 3 leave a shared partial block
        float[][] cpu = decode(LlamaModel.load(FIXTURES.resolve("models").resolve(model), new CpuBackend(1)), prompt);
        EmulatedGpu gpu = new EmulatedGpu(MEMORY);
        float[][] dev = decode(emulated(model, Precision.FP32, gpu), prompt);
        for (int r = 0; r < cpu.length; r++) {
            for (int t = 0; t < cpu[r].length; t++) assertEquals(cpu[r][t], dev[r][t], 1e-4, "row " + r + " token " + t);
        }
        assertEquals(0, gpu.ledger().total());
    }

    /** Prefill, fork twice, one decode step of the three sequences at once, another of two: every logits row. */
    private static float[][] decode(LlamaModel lm, int[] prompt) {
        try (lm; KvCache cache = lm.newCache(3, 1L << 24)) {
            int a = cache.newSequence();
            float[][] first = lm.forward(cache, new int[] {a}, new int[][] {prompt}, new int[][] {{prompt.length - 1}})[0];
            int b = cache.fork(a), c = cache.fork(a);
            float[][][] step = lm.forward(cache, new int[] {a, b, c}, new int[][] {{11}, {12}, {13}}, new int[][] {{0}, {0}, {0}});
            float[][][] next = lm.forward(cache, new int[] {c, a}, new int[][] {{14, 15}, {16}}, new int[][] {{0, 1}, {0}});
            return new float[][] {first[0], step[0][0], step[1][0], step[2][0], next[0][0], next[0][1], next[1][0]};
        }
    }

    @Test
    void selectedRowsComeBackAsTheirNormaliserAndLogitsAndWholeRowsWhole() {
        String model = "tiny-llama32";
        int[] prompt = {128000, 58, 1234, 60};
        int[][][] select = {{{5, 60, 128001}, null}};
        LogitRow[] cpu, dev;
        try (LlamaModel lm = LlamaModel.load(FIXTURES.resolve("models").resolve(model), new CpuBackend(1));
             KvCache cache = lm.newCache(16, 1 << 20)) {
            cpu = lm.forwardSelected(cache, new int[] {cache.newSequence()}, new int[][] {prompt}, new int[][] {{2, 3}}, select)[0];
        }
        EmulatedGpu gpu = new EmulatedGpu(MEMORY);
        try (LlamaModel lm = emulated(model, Precision.FP32, gpu); KvCache cache = lm.newCache(16, 1 << 20)) {
            dev = lm.forwardSelected(cache, new int[] {cache.newSequence()}, new int[][] {prompt}, new int[][] {{2, 3}}, select)[0];
        }
        assertTrue(gpu.launched.contains("row_normalizers") && gpu.launched.contains("gather_logits"), gpu.launched.toString());
        assertArrayEquals(new int[] {5, 60, 128001}, dev[0].ids());
        assertEquals(cpu[0].normalizer().max(), dev[0].normalizer().max(), 1e-4);
        assertEquals(cpu[0].normalizer().logSum(), dev[0].normalizer().logSum(), 1e-4);
        for (int k = 0; k < 3; k++) assertEquals(cpu[0].values()[k], dev[0].values()[k], 1e-4);
        assertEquals(cpu[1].dense().length, dev[1].dense().length);
        for (int t = 0; t < cpu[1].dense().length; t += 97) assertEquals(cpu[1].dense()[t], dev[1].dense()[t], 1e-4);
    }

    @Test
    void bf16ActivationsRoundTheOperandsOfEveryProductAndStayClose() {
        int[] ids = {128000, 58, 1234, 60, 90, 4567, 92, 345, 17, 99};
        float[][] cpu, bf16;
        try (LlamaModel lm = LlamaModel.load(FIXTURES.resolve("models").resolve("tiny-llama32"), new CpuBackend(1))) {
            cpu = positions(lm, ids, 1);
        }
        EmulatedGpu gpu = new EmulatedGpu(MEMORY);
        try (LlamaModel lm = emulated("tiny-llama32", Precision.BF16, gpu)) {
            bf16 = positions(lm, ids, 1);
        }
        assertTrue(gpu.launched.contains("f32_to_bf16") && !gpu.launched.contains("bf16_to_f32"), "bf16 rounds activations only");
        double worst = 0, some = 0;
        for (int p = 0; p < ids.length; p++) {
            float[] a = LogSoftmax.of(cpu[p]), b = LogSoftmax.of(bf16[p]);
            for (int t : LogSoftmax.topK(a, 5)) {
                worst = Math.max(worst, Math.abs(a[t] - b[t]));
                some += Math.abs(a[t] - b[t]);
            }
        }
        // measured 0.064 on this random tiny checkpoint (its logits are spread thin); wrong routing gives O(1) errors
        assertTrue(worst < 0.1, "bf16 operands move the top log-probs by " + worst);
        assertTrue(some > 0, "and they do move them: the products really took rounded operands");
    }

    @Test
    void aKvBudgetTheDeviceCannotHoldIsRefusedWithWhatToChange() {
        EmulatedGpu gpu = new EmulatedGpu(64L << 20);   // the tiny model's weights fit, a 1 GiB KV cache does not
        try (LlamaModel lm = emulated("tiny-llama32", Precision.FP32, gpu)) {
            CudaException e = assertThrows(CudaException.class, () -> lm.newCache(16, 1L << 30));
            assertTrue(e.getMessage().startsWith("out of GPU memory: ") && e.getMessage().contains(" for kv-cache did not fit")
                    && e.getMessage().contains("this backend holds weights") && e.getMessage().endsWith("lower --kv-cache-mb"),
                    e.getMessage());
        }
        assertEquals(0, gpu.ledger().total());
        assertTrue(gpu.closed);
    }
}
