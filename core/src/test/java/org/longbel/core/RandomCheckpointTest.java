package org.longbel.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longbel.core.safetensors.TensorElements;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomCheckpointTest {

    @TempDir
    Path tmp;

    @Test
    void writesALoadableTiedBf16Checkpoint() {
        Path dir = TestCheckpoints.writeSmall(tmp, "m", true, DType.BF16);
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            assertEquals("BF16", ckpt.dtypeSummary());
            assertSame(ckpt.weights().tokenEmbedding(), ckpt.weights().lmHead());
            ModelConfigReaderTest.assertSameConfig(ModelConfigReader.parse(TestCheckpoints.smallConfigJson(true), "small"),
                    ckpt.config());
        }
    }

    @Test
    void writesALoadableUntiedF32Checkpoint() {
        Path dir = TestCheckpoints.writeSmall(tmp, "m", false, DType.F32);
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            assertEquals("F32", ckpt.dtypeSummary());
            assertNotSame(ckpt.weights().tokenEmbedding(), ckpt.weights().lmHead());
            assertEquals("lm_head.weight", ckpt.weights().lmHead().name());
        }
    }

    @Test
    void weightsAreScaledForFiniteActivations() {
        Path dir = TestCheckpoints.writeSmall(tmp, "m", false, DType.F32);
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            LlamaWeights w = ckpt.weights();
            for (float v : TensorElements.toFloatArray(w.finalNorm())) assertEquals(1f, v);
            for (float v : TensorElements.toFloatArray(w.layers().get(1).inputNorm())) assertEquals(1f, v);
            // linear weights: uniform, std 1/sqrt(in); down_proj has in = intermediate = 24
            assertStd(TensorElements.toFloatArray(w.layers().get(0).wDown()), 1 / Math.sqrt(24));
            assertStd(TensorElements.toFloatArray(w.layers().get(0).wq()), 1 / Math.sqrt(16));
            assertStd(TensorElements.toFloatArray(w.tokenEmbedding()), 1 / Math.sqrt(16));
            assertStd(TensorElements.toFloatArray(w.lmHead()), 1 / Math.sqrt(16));
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
        ModelConfig c = ModelConfigReader.parse(TestCheckpoints.smallConfigJson(true), "small");
        RandomCheckpoint.write(c, tmp.resolve("a"), 5, DType.BF16);
        RandomCheckpoint.write(c, tmp.resolve("b"), 5, DType.BF16);
        RandomCheckpoint.write(c, tmp.resolve("c"), 6, DType.BF16);
        byte[] a = Files.readAllBytes(tmp.resolve("a/model.safetensors"));
        assertArrayEquals(a, Files.readAllBytes(tmp.resolve("b/model.safetensors")));
        assertFalse(Arrays.equals(a, Files.readAllBytes(tmp.resolve("c/model.safetensors"))));
    }

    @Test
    void refusesAnExistingDirectoryAndLeavesNothingBehind() throws IOException {
        Path existing = Files.createDirectory(tmp.resolve("out"));
        ModelConfig c = ModelConfigReader.parse(TestCheckpoints.smallConfigJson(true), "small");
        IOException e = assertThrows(IOException.class, () -> RandomCheckpoint.write(c, existing, 1, DType.F32));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(existing), files.toList());
        }
    }

    @Test
    void writesOnlyTheFinalDirectory() throws IOException {
        TestCheckpoints.writeSmall(tmp.resolve("nested/parent"), "m", true, DType.F32);
        try (Stream<Path> files = Files.list(tmp.resolve("nested/parent"))) {
            assertEquals(List.of(tmp.resolve("nested/parent/m")), files.toList(), "no temporary directory is left");
        }
        try (Stream<Path> files = Files.list(tmp.resolve("nested/parent/m"))) {
            assertEquals(2, files.count(), "config.json and model.safetensors");
        }
    }

    @Test
    void activationsStayFiniteThroughSixteenLayers() throws IOException {
        // the 1B model's depth, GQA ratio and RoPE scaling at a small width
        String json = """
                {"model_type": "llama_longbel", "hidden_size": 64, "intermediate_size": 256, "num_hidden_layers": 16,
                 "num_attention_heads": 8, "num_key_value_heads": 2, "vocab_size": 300, "rms_norm_eps": 1e-5,
                 "rope_theta": 500000.0, "tie_word_embeddings": true,
                 "rope_scaling": {"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0,
                                  "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}}
                """;
        Path dir = tmp.resolve("deep");
        RandomCheckpoint.write(ModelConfigReader.parse(json, "deep"), dir, 11, DType.BF16);
        int n = 64;
        int[] tokens = new int[n], positions = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = (i * 37 + 5) % 300;
            positions[i] = i;
        }
        try (LlamaModel model = LlamaModel.load(dir, 1); KvCache cache = model.newCache(16, 1 << 24)) {
            int seq = cache.newSequence();
            float[][] logits = model.forward(cache, new int[]{seq}, new int[][]{tokens}, new int[][]{positions})[0];
            double sq = 0;
            for (float[] row : logits) {
                for (float v : row) {
                    assertTrue(Float.isFinite(v), "finite logits");
                    sq += (double) v * v;
                }
            }
            double rms = Math.sqrt(sq / (n * 300.0));
            assertTrue(rms > 0.2 && rms < 5, "logits of order 1, rms " + rms);
        }
    }

    private static void assertStd(float[] values, double expected) {
        double sum = 0, sq = 0, max = 0;
        for (float v : values) {
            sum += v;
            sq += (double) v * v;
            max = Math.max(max, Math.abs(v));
        }
        double mean = sum / values.length;
        double std = Math.sqrt(sq / values.length - mean * mean);
        assertEquals(expected, std, expected * 0.1, "standard deviation");
        assertTrue(max <= expected * Math.sqrt(3) + 1e-6, "uniform values are bounded by sqrt(3) std");
    }
}
