package org.longbel.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.longbel.core.kv.PagedKvCache;

/** Attention over the paged cache against a direct softmax(q·kᵀ/√d)·v over arrays, with GQA and two sequences. */
class CpuAttentionTest {

    @Test
    void causalGroupedAttentionOverBlocksMatchesAPlainLoop() {
        int heads = 4, kvHeads = 2, headDim = 20, kvDim = kvHeads * headDim, layers = 2, layer = 1;
        int[] lengths = {11, 5};
        Random random = new Random(3);
        try (PagedKvCache cache = new PagedKvCache(layers, kvDim, 4, 1 << 20); CpuBackend cpu = new CpuBackend(2)) {
            float[][][] keys = new float[2][][], values = new float[2][][];
            int[] seqs = new int[2];
            for (int s = 0; s < 2; s++) {
                seqs[s] = cache.newSequence();
                cache.extend(new int[] {seqs[s]}, new int[] {lengths[s]});
                keys[s] = new float[lengths[s]][kvDim];
                values[s] = new float[lengths[s]][kvDim];
                for (int p = 0; p < lengths[s]; p++) {
                    for (int i = 0; i < kvDim; i++) {
                        keys[s][p][i] = (float) random.nextGaussian();
                        values[s][p][i] = (float) random.nextGaussian();
                    }
                    cpu.writeKv(cache, layer, new int[] {seqs[s]}, new int[] {p}, keys[s][p], values[s][p]);
                }
            }
            // three query rows: sequence 0 at positions 4 and 10, sequence 1 at position 4
            int[] rowSeq = {seqs[0], seqs[0], seqs[1]}, rowPos = {4, 10, 4}, rowIndex = {0, 0, 1};
            float[] q = new float[3 * heads * headDim];
            for (int i = 0; i < q.length; i++) q[i] = (float) random.nextGaussian();
            float[] out = new float[q.length];
            cpu.attention(q, 3, rowSeq, rowPos, cache, layer, heads, kvHeads, headDim, out);

            for (int r = 0; r < 3; r++) {
                for (int h = 0; h < heads; h++) {
                    int g = h / (heads / kvHeads), s = rowIndex[r];
                    double[] w = new double[rowPos[r] + 1];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = 0; j < w.length; j++) {
                        for (int i = 0; i < headDim; i++) w[j] += q[(r * heads + h) * headDim + i] * keys[s][j][g * headDim + i];
                        w[j] /= Math.sqrt(headDim);
                        max = Math.max(max, w[j]);
                    }
                    for (int j = 0; j < w.length; j++) sum += w[j] = Math.exp(w[j] - max);
                    for (int i = 0; i < headDim; i++) {
                        double expected = 0;
                        for (int j = 0; j < w.length; j++) expected += w[j] / sum * values[s][j][g * headDim + i];
                        assertEquals(expected, out[(r * heads + h) * headDim + i], 1e-5, "row " + r + " head " + h + " dim " + i);
                    }
                }
            }
        }
    }
}
