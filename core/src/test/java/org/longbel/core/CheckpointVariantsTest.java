package org.longbel.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longbel.core.safetensors.SafetensorsFile;
import org.longbel.core.safetensors.SafetensorsIndex;
import org.longbel.core.safetensors.SafetensorsWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real-world checkpoint variants load and run as Hugging Face loads them: BF16, F16 and F32 weights, tied and untied
 * heads, written by the project's own checkpoint writer from the same random values; their logits agree within the
 * rounding of their element type. A sharded copy (two shards and {@code model.safetensors.index.json}, as
 * {@code save_pretrained} writes large checkpoints) loads to exactly the same logits as its single-file twin.
 */
class CheckpointVariantsTest {

    @TempDir
    static Path tmp;

    private static float[] logits(Path dir) {
        int[] ids = {1, 7, 22, 3, 9, 30, 11};
        try (LlamaModel lm = LlamaModel.load(dir, 1); KvCache cache = lm.newCache(4, 1 << 20)) {
            return lm.forward(cache, new int[] {cache.newSequence()}, new int[][] {ids}, new int[][] {{ids.length - 1}})[0][0];
        }
    }

    @ParameterizedTest
    @CsvSource({"BF16, true, 2e-2", "F16, true, 5e-3", "BF16, false, 2e-2", "F16, false, 5e-3"})
    void everyElementTypeAndHeadLoadsAndMatchesItsFloat32Twin(DType dtype, boolean tied, double tolerance) {
        Path f32 = tmp.resolve("f32-" + tied);
        float[] reference = logits(java.nio.file.Files.exists(f32) ? f32 : TestCheckpoints.writeSmall(tmp, "f32-" + tied, tied, DType.F32));
        Path dir = TestCheckpoints.writeSmall(tmp, dtype + "-" + tied, tied, dtype);
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertEquals(dtype, c.weights().layers().getFirst().wq().dtype());
            assertEquals(tied, c.weights().lmHead() == c.weights().tokenEmbedding());
            assertTrue(c.notices().isEmpty(), c.notices().toString());
        }
        float[] got = logits(dir);
        double worst = 0;
        for (int i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - reference[i]));
        assertTrue(worst < tolerance, dtype + " tied=" + tied + ": logits differ from F32 by " + worst);
        assertTrue(worst > 0 || dtype == DType.F32, "the weights really were rounded");
    }

    @Test
    void shardedWithAnIndexLoadsExactlyLikeItsSingleFileTwin() throws IOException {
        Path single = TestCheckpoints.writeSmall(tmp, "single-bf16", true, DType.BF16);
        Path sharded = reshard(single, tmp.resolve("sharded-bf16"));
        try (Checkpoint c = Checkpoint.open(sharded)) {
            assertTrue(c.notices().isEmpty(), c.notices().toString());
        }
        assertArrayEquals(logits(single), logits(sharded));
    }

    /** Copies {@code from} into {@code to}, splitting its weights into two shards listed by an index. */
    private static Path reshard(Path from, Path to) throws IOException {
        TestCheckpoints.copyDir(from, to);
        Files.delete(to.resolve("model.safetensors"));
        ObjectNode index = new ObjectMapper().createObjectNode();
        index.putObject("metadata").put("total_size", Files.size(from.resolve("model.safetensors")));
        ObjectNode weightMap = index.putObject("weight_map");
        try (Arena arena = Arena.ofConfined()) {
            List<Tensor> tensors = List.copyOf(SafetensorsFile.open(from.resolve("model.safetensors"), arena).tensors().values());
            int half = tensors.size() / 2;
            writeShard(to, "model-00001-of-00002.safetensors", tensors.subList(0, half), weightMap);
            writeShard(to, "model-00002-of-00002.safetensors", tensors.subList(half, tensors.size()), weightMap);
        }
        Files.writeString(to.resolve(SafetensorsIndex.FILE_NAME), index.toPrettyString());
        return to;
    }

    private static void writeShard(Path dir, String name, List<Tensor> tensors, ObjectNode weightMap) throws IOException {
        List<SafetensorsWriter.Spec> specs = new ArrayList<>();
        for (Tensor t : tensors) specs.add(new SafetensorsWriter.Spec(t.name(), t.dtype(), t.shape()));
        try (SafetensorsWriter w = SafetensorsWriter.create(dir.resolve(name), specs, Map.of("format", "pt"))) {
            for (Tensor t : tensors) {
                w.write(ByteBuffer.wrap(t.data().toArray(ValueLayout.JAVA_BYTE)));
                weightMap.put(t.name(), name);
            }
        }
    }
}
