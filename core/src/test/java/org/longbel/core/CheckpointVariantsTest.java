package org.longbel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real-world checkpoint variants load and run as Hugging Face loads them: BF16, F16 and F32 weights, tied and untied
 * heads, written by the project's own checkpoint writer from the same random values; their logits agree within the
 * rounding of their element type.
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
}
