package org.longbel.core;

import org.junit.jupiter.api.Test;
import org.longbel.core.safetensors.TensorElements;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loads the two fixture checkpoints and checks shapes, dtypes, parameter counts and a few values. */
class CheckpointTest {

    @Test
    void loadsTinyLlama32SingleFileBf16Tied() throws Exception {
        Path dir = TestCheckpoints.fixtureModel("tiny-llama32");
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            ModelConfig c = ckpt.config();
            assertEquals("llama_longbel", c.modelType());
            assertEquals(128257, c.vocabSize());
            assertEquals(16, c.headDim());
            assertTrue(c.tieWordEmbeddings());

            LlamaWeights w = ckpt.weights();
            assertEquals(2, w.layers().size());
            assertArrayEquals(new long[]{128257, 64}, w.tokenEmbedding().shape());
            assertSame(w.tokenEmbedding(), w.lmHead(), "tied: the LM head is the embedding tensor");
            LlamaWeights.Layer l0 = w.layers().get(0);
            assertArrayEquals(new long[]{64, 64}, l0.wq().shape());
            assertArrayEquals(new long[]{32, 64}, l0.wk().shape());
            assertArrayEquals(new long[]{32, 64}, l0.wv().shape());
            assertArrayEquals(new long[]{64, 64}, l0.wo().shape());
            assertArrayEquals(new long[]{176, 64}, l0.wGate().shape());
            assertArrayEquals(new long[]{176, 64}, l0.wUp().shape());
            assertArrayEquals(new long[]{64, 176}, l0.wDown().shape());
            assertArrayEquals(new long[]{64}, l0.inputNorm().shape());

            assertEquals(Map.of(DType.BF16, 8_300_928L), ckpt.parameterCountByDType());
            assertEquals("BF16", ckpt.dtypeSummary());
            assertEquals(expectedParameters(c), ckpt.parameterCount());
            assertEquals(8_300_928L, ckpt.parameterCount());
            assertEquals(Files.size(dir.resolve("model.safetensors")), ckpt.bytesMapped());
            assertEquals(1, ckpt.files().size());

            // values read independently (Python struct) from the file
            assertEquals(-1.3515625f, TensorElements.get(w.finalNorm(), 0));
            assertEquals(-1.7890625f, TensorElements.get(w.tokenEmbedding(), 5, 3));
            assertTrue(w.tokenEmbedding().data().isMapped(), "weights are a view of the file mapping");
        }
    }

    @Test
    void loadsTinyMhaUntiedShardedF32() throws Exception {
        Path dir = TestCheckpoints.fixtureModel("tiny-mha-untied");
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            ModelConfig c = ckpt.config();
            assertEquals("llama", c.modelType());
            assertEquals(6, c.numKvHeads());
            assertEquals("default", c.rope().type());
            LlamaWeights w = ckpt.weights();
            assertEquals(3, w.layers().size());
            assertNotSame(w.tokenEmbedding(), w.lmHead());
            assertEquals("lm_head.weight", w.lmHead().name());
            assertArrayEquals(new long[]{512, 48}, w.lmHead().shape());
            assertArrayEquals(new long[]{48, 100}, w.layers().get(2).wDown().shape());
            assertEquals(DType.F32, w.layers().get(2).wq().dtype());
            assertEquals("F32", ckpt.dtypeSummary());
            assertEquals(expectedParameters(c), ckpt.parameterCount());
            assertEquals(120_336L, ckpt.parameterCount());
            assertEquals(2, ckpt.files().size());
            assertEquals(Files.size(dir.resolve("model-00001-of-00002.safetensors"))
                    + Files.size(dir.resolve("model-00002-of-00002.safetensors")), ckpt.bytesMapped());

            assertEquals(-0.4552616477012634f, TensorElements.get(w.finalNorm(), 0));
            assertEquals(-0.19422024488449097f, TensorElements.get(w.tokenEmbedding(), 5, 3));
        }
    }

    @Test
    void tensorsCannotBeReadAfterClose() {
        Checkpoint ckpt = Checkpoint.open(TestCheckpoints.fixtureModel("tiny-mha-untied"));
        Tensor norm = ckpt.weights().finalNorm();
        ckpt.close();
        assertThrows(IllegalStateException.class, () -> TensorElements.get(norm, 0));
    }

    /** Parameter count from the config alone: embedding, layers, final norm, untied head. */
    private static long expectedParameters(ModelConfig c) {
        long h = c.hiddenSize(), i = c.intermediateSize();
        long perLayer = 2 * h + h * c.qDim() + 2L * h * c.kvDim() + (long) c.qDim() * h + 3 * h * i;
        long head = c.tieWordEmbeddings() ? 0 : (long) c.vocabSize() * h;
        return (long) c.vocabSize() * h + c.numLayers() * perLayer + h + head;
    }
}
