package org.longbel.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.longbel.core.backend.CpuBackend.wrap;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.longbel.core.kv.PagedKvCache;

/**
 * Tiled attention over the paged cache: against a float64 softmax(q·kᵀ/√d)·v over arrays, and bitwise the same
 * for a row whatever else the call computes and however many threads compute it.
 */
class CpuAttentionTest {

    /** Sequences of random keys and values in a paged cache, and random queries for every (sequence, position). */
    private static final class Fixture implements AutoCloseable {
        final int heads, kvHeads, headDim, kvDim, layer = 1;
        final PagedKvCache cache;
        final int[] seqs;
        final float[][][] keys, values, queries;

        Fixture(int heads, int kvHeads, int headDim, int blockSize, int[] lengths, long seed) {
            this.heads = heads;
            this.kvHeads = kvHeads;
            this.headDim = headDim;
            this.kvDim = kvHeads * headDim;
            Random random = new Random(seed);
            cache = new PagedKvCache(2, kvDim, blockSize, 1 << 24);
            seqs = new int[lengths.length];
            keys = new float[lengths.length][][];
            values = new float[lengths.length][][];
            queries = new float[lengths.length][][];
            try (CpuBackend cpu = new CpuBackend(1)) {
                for (int s = 0; s < lengths.length; s++) {
                    seqs[s] = cache.newSequence();
                    cache.extend(new int[] {seqs[s]}, new int[] {lengths[s]});
                    keys[s] = gaussians(random, lengths[s], kvDim);
                    values[s] = gaussians(random, lengths[s], kvDim);
                    queries[s] = gaussians(random, lengths[s], heads * headDim);
                    for (int p = 0; p < lengths[s]; p++) {
                        cpu.writeKv(cache.storage(), cache.batch(new int[] {seqs[s]}, new int[] {p}), layer, wrap(keys[s][p]), wrap(values[s][p]));
                    }
                }
            }
        }

        private static float[][] gaussians(Random random, int rows, int cols) {
            float[][] x = new float[rows][cols];
            for (float[] row : x) for (int i = 0; i < cols; i++) row[i] = (float) random.nextGaussian();
            return x;
        }

        /** The outputs of one attention call over the rows (sequence index, position), one array per row. */
        float[][] attention(int threads, int[][] rows) {
            int n = rows.length, qDim = heads * headDim;
            int[] rowSeqs = new int[n], positions = new int[n];
            float[] q = new float[n * qDim], out = new float[n * qDim];
            for (int r = 0; r < n; r++) {
                rowSeqs[r] = seqs[rows[r][0]];
                positions[r] = rows[r][1];
                System.arraycopy(queries[rows[r][0]][rows[r][1]], 0, q, r * qDim, qDim);
            }
            try (CpuBackend cpu = new CpuBackend(threads)) {
                cpu.attention(wrap(q), cache.storage(), cache.batch(rowSeqs, positions), layer, heads, kvHeads, headDim, wrap(out));
            }
            float[][] result = new float[n][qDim];
            for (int r = 0; r < n; r++) System.arraycopy(out, r * qDim, result[r], 0, qDim);
            return result;
        }

        /** softmax(q·kᵀ/√d)·v in float64 for sequence {@code s} at {@code pos}, query head {@code h}. */
        double[] expected(int s, int pos, int h) {
            int g = h / (heads / kvHeads);
            double[] w = new double[pos + 1];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j <= pos; j++) {
                for (int i = 0; i < headDim; i++) w[j] += (double) queries[s][pos][h * headDim + i] * keys[s][j][g * headDim + i];
                w[j] /= Math.sqrt(headDim);
                max = Math.max(max, w[j]);
            }
            for (int j = 0; j <= pos; j++) sum += w[j] = Math.exp(w[j] - max);
            double[] out = new double[headDim];
            for (int i = 0; i < headDim; i++) {
                for (int j = 0; j <= pos; j++) out[i] += w[j] / sum * values[s][j][g * headDim + i];
            }
            return out;
        }

        @Override
        public void close() {
            cache.close();
        }
    }

    private static int[][] prefill(int s, int from, int to) {
        int[][] rows = new int[to - from][];
        for (int p = from; p < to; p++) rows[p - from] = new int[] {s, p};
        return rows;
    }

    private static int[][] concat(int[][]... parts) {
        List<int[]> rows = new ArrayList<>();
        for (int[][] part : parts) rows.addAll(List.of(part));
        return rows.toArray(int[][]::new);
    }

    @ParameterizedTest(name = "heads {0}, kv heads {1}, head dim {2}, block {3}")
    @CsvSource({
            "4, 2, 20, 4",   // group 2, head dim not a multiple of the vector length
            "8, 2, 20, 4",   // group 4: the four-query value kernel plus the scalar tail
            "32, 8, 64, 16", // the 1B shape
            "6, 2, 7, 5",    // group 3, head dim shorter than a vector, block not a power of two
            "16, 2, 24, 1",  // group 8, one position per block
            "4, 4, 16, 17",  // no grouping, a block longer than a vector
    })
    void matchesAFloat64Loop(int heads, int kvHeads, int headDim, int blockSize) {
        int b = blockSize;
        int[] lengths = {3 * b + 2, b + 1, 1, 2 * b + 1};
        try (Fixture f = new Fixture(heads, kvHeads, headDim, blockSize, lengths, 3)) {
            // a whole prefill (every tile boundary), decode rows at a boundary and at position 0, a chunk across one
            int[][] rows = concat(prefill(0, 0, lengths[0]), new int[][] {{1, b - 1}, {1, b}, {2, 0}}, prefill(3, b - 1, 2 * b + 1));
            float[][] out = f.attention(2, rows);
            for (int r = 0; r < rows.length; r++) {
                for (int h = 0; h < heads; h++) {
                    double[] expected = f.expected(rows[r][0], rows[r][1], h);
                    for (int i = 0; i < headDim; i++) {
                        assertEquals(expected[i], out[r][h * headDim + i], 1e-5,
                                "sequence " + rows[r][0] + " position " + rows[r][1] + " head " + h + " dim " + i);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "heads {0}, kv heads {1}, head dim {2}, block {3}")
    @CsvSource({"8, 2, 20, 4", "6, 2, 7, 5", "32, 8, 64, 16"})
    void aRowIsBitwiseTheSameWhateverElseTheCallComputes(int heads, int kvHeads, int headDim, int blockSize) {
        int[] lengths = {40, 9, 33};
        try (Fixture f = new Fixture(heads, kvHeads, headDim, blockSize, lengths, 5)) {
            int[] targets = {0, 3, blockSize - 1, blockSize, blockSize + 1, 17, 39};
            List<int[][]> calls = List.of(
                    prefill(0, 0, 40),                                               // inside its own prefill
                    prefill(0, 2, 40),                                               // a chunk after a cached prefix
                    concat(prefill(2, 10, 33), prefill(0, 0, 40), prefill(1, 0, 9)), // among other sequences' chunks
                    concat(new int[][] {{1, 8}}, prefill(0, 0, 20), new int[][] {{2, 32}}, prefill(0, 20, 40)));
            for (int threads : new int[] {1, 2}) {
                for (int target : targets) {
                    float[] alone = f.attention(threads, new int[][] {{0, target}})[0];
                    float[] reference = f.attention(1, new int[][] {{0, target}})[0];
                    assertBitwiseEqual(reference, alone, "alone, " + threads + " threads, position " + target);
                    for (int c = 0; c < calls.size(); c++) {
                        int[][] rows = calls.get(c);
                        float[][] out = f.attention(threads, rows);
                        for (int r = 0; r < rows.length; r++) {
                            if (rows[r][0] == 0 && rows[r][1] == target) {
                                assertBitwiseEqual(reference, out[r], "call " + c + " row " + r + ", " + threads + " threads, position " + target);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void manyDecodeRowsInOneCallEqualEachRowAlone() {
        int sequences = 12;
        int[] lengths = new int[sequences];
        for (int s = 0; s < sequences; s++) lengths[s] = 1 + 7 * s;
        try (Fixture f = new Fixture(8, 2, 20, 4, lengths, 7)) {
            int[][] rows = new int[sequences][];
            for (int s = 0; s < sequences; s++) rows[s] = new int[] {s, lengths[s] - 1};
            float[][] batch = f.attention(2, rows);
            for (int s = 0; s < sequences; s++) {
                assertBitwiseEqual(f.attention(1, new int[][] {rows[s]})[0], batch[s], "sequence " + s);
            }
        }
    }

    private static void assertBitwiseEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                    what + ", element " + i + ": " + expected[i] + " vs " + actual[i]);
        }
    }
}
