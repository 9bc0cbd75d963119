package org.longbel.core.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.longbel.core.DType;
import org.longbel.core.Tensor;

class CpuGradientsTest {

    private static float[] random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    private static Tensor tensor(Arena arena, DType dtype, float[] values, int rows, int cols) {
        MemorySegment seg = arena.allocate((long) values.length * dtype.bytes(), 64);
        for (int i = 0; i < values.length; i++) {
            switch (dtype) {
                case BF16 -> seg.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 2L * i,
                        (short) (Float.floatToRawIntBits(values[i]) >>> 16));
                case F16 -> seg.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 2L * i,
                        Float.floatToFloat16(values[i]));
                case F32 -> seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4L * i, values[i]);
            }
        }
        return new Tensor("w", dtype, new long[] {rows, cols}, seg);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void theTransposedProductMatchesADoubleReferenceAndEachRowIsTheSameAlone(DType dtype) {
        int out = 37, in = 150;        // two whole panels of 4 x 16 columns and a tail of 22
        int rows = 11;                 // two tiles of 4 rows and 3 single rows
        try (Arena arena = Arena.ofShared(); CpuBackend three = new CpuBackend(3); CpuBackend one = new CpuBackend(1)) {
            Tensor w = tensor(arena, dtype, random(1, out * in), out, in);
            float[] wide = new float[out * in];
            VectorKernels.widenRows(w, 0, out, wide);
            float[] dy = random(2, rows * out), dx = new float[rows * in];
            new CpuGradients(three).productTransposed(dy, rows, w, dx);
            for (int t = 0; t < rows; t++) {
                for (int i = 0; i < in; i++) {
                    double e = 0;
                    for (int o = 0; o < out; o++) e += (double) dy[t * out + o] * wide[o * in + i];
                    assertEquals(e, dx[t * in + i], 1e-4 * (1 + Math.abs(e)), "row " + t + " column " + i);
                }
                float[] alone = new float[in];
                new CpuGradients(one).productTransposed(Arrays.copyOfRange(dy, t * out, (t + 1) * out), 1, w, alone);
                assertArrayEquals(alone, Arrays.copyOfRange(dx, t * in, (t + 1) * in), "row " + t + " alone, streamed");
            }
        }
    }
}
