package org.longbel.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longbel.core.backend.CpuBackend;

/** {@link LlamaModel#forwardSelected}: the backend's selection gives exactly what the host computes from whole rows. */
class ForwardSelectedTest {

    @TempDir
    static Path tmp;
    private static LlamaModel model;

    @BeforeAll
    static void load() {
        Checkpoint checkpoint = Checkpoint.open(TestCheckpoints.writeSmall(tmp, "model", true, DType.BF16));
        model = new LlamaModel(checkpoint.config(), checkpoint.weights(), new CpuBackend(2), checkpoint);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void selectedRowsAreTheWholeRowsNormaliserAndTheirLogitsBitForBit() {
        int[][] tokens = {{1, 2, 3, 4, 5}, {7, 8}};
        int[][] at = {{2, 4}, {1}};
        int[][][] select = {{{0, 3, 39}, null}, {{5}}};
        float[][][] whole;
        LogitRow[][] rows;
        try (KvCache a = model.newCache(4, 1 << 20); KvCache b = model.newCache(4, 1 << 20)) {
            whole = model.forward(a, new int[] {a.newSequence(), a.newSequence()}, tokens, at);
            rows = model.forwardSelected(b, new int[] {b.newSequence(), b.newSequence()}, tokens, at, select);
        }
        LogitRow sel = rows[0][0];
        assertNull(sel.dense());
        assertEquals(LogSoftmax.normalizer(whole[0][0]), sel.normalizer());
        assertArrayEquals(new float[] {whole[0][0][0], whole[0][0][3], whole[0][0][39]}, sel.values());
        assertArrayEquals(whole[0][1], rows[0][1].dense(), "a null selection is the whole row");
        assertArrayEquals(new float[] {whole[1][0][5]}, rows[1][0].values());
    }

    @Test
    void aRequestThatIsNotAscendingDistinctAndInTheVocabularyIsRefusedBeforeTheForward() {
        try (KvCache cache = model.newCache(4, 1 << 20)) {
            int seq = cache.newSequence();
            for (int[] bad : new int[][] {{3, 2}, {4, 4}, {40}, {-1}}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.forwardSelected(cache,
                        new int[] {seq}, new int[][] {{1, 2}}, new int[][] {{1}}, new int[][][] {{bad}}));
                assertTrue(e.getMessage().startsWith("requested logit ids must be ascending, distinct and in [0, 40)"), e.getMessage());
            }
            assertEquals(0, cache.length(seq), "nothing was computed");
        }
    }
}
