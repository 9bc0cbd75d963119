package org.longbel.core.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.longbel.core.backend.CpuBackend.wrap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.longbel.core.DType;
import org.longbel.core.Tensor;
import org.longbel.core.safetensors.TensorElements;

/** The CPU kernels against plain double-precision loops, on arrays made here (odd sizes exercise the tails). */
class CpuBackendTest {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static float[] random(long seed, int n) {
        Random r = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) r.nextGaussian();
        return out;
    }

    /** The values rounded to {@code dtype} (what the kernel must see after widening). */
    private static float[] rounded(float[] values, DType dtype) {
        float[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype) {
                case F32 -> out[i];
                case F16 -> Float.float16ToFloat(Float.floatToFloat16(out[i]));
                case BF16 -> TensorElements.bf16ToFloat(TensorElements.floatToBf16(out[i]));
            };
        }
        return out;
    }

    /** A tensor holding {@code rounded(values, dtype)}, little-endian, at an odd byte offset. */
    private static Tensor tensor(Arena arena, DType dtype, float[] values, long... shape) {
        MemorySegment seg = arena.allocate(values.length * (long) dtype.bytes() + 1).asSlice(1);
        for (int i = 0; i < values.length; i++) {
            switch (dtype) {
                case F32 -> seg.set(F32, 4L * i, values[i]);
                case F16 -> seg.set(I16, 2L * i, Float.floatToFloat16(values[i]));
                case BF16 -> seg.set(I16, 2L * i, TensorElements.floatToBf16(values[i]));
            }
        }
        return new Tensor("w", dtype, shape, seg);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulMatchesADoubleReferenceForEveryRowCount(DType dtype) {
        int in = 53, out = 29;
        float[] w = random(1, in * out);
        float[] wr = rounded(w, dtype);
        try (Arena arena = Arena.ofConfined(); CpuBackend cpu = new CpuBackend(3)) {
            Tensor t = tensor(arena, dtype, w, out, in);
            for (int rows = 1; rows <= 13; rows++) {
                float[] x = random(rows, rows * in);
                float[] y = new float[rows * out];
                cpu.matmul(wrap(x), rows, cpu.weight(t), wrap(y));
                for (int r = 0; r < rows; r++) {
                    for (int o = 0; o < out; o++) {
                        double expected = 0;
                        for (int i = 0; i < in; i++) expected += (double) x[r * in + i] * wr[o * in + i];
                        assertEquals(expected, y[r * out + o], 1e-5 * (1 + Math.abs(expected)), "row " + r + ", column " + o);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void eachMatmulRowIsBitwiseIndependentOfBatchAndThreads(DType dtype) {
        // 17 rows take tiles of 6, 6 and 5 rows, 14 rows tiles of 6, 4 and 4, 520 rows two passes over the
        // panels, each row alone the 1-row tile; 1043 inputs leave a scalar tail; 70 outputs leave two weight
        // rows outside the groups of four
        int in = 1043, out = 70;
        try (Arena arena = Arena.ofShared(); CpuBackend one = new CpuBackend(1); CpuBackend three = new CpuBackend(3)) {
            Tensor t = tensor(arena, dtype, random(6, in * out), out, in);
            for (int rows : new int[] {17, 14, 520}) {
                float[] x = random(rows, rows * in);
                float[] batched = new float[rows * out];
                three.matmul(wrap(x), rows, three.weight(t), wrap(batched));
                float[] row = new float[in];
                for (int r = 0; r < rows; r++) {
                    float[] alone = new float[out];
                    one.matmul(wrap(Arrays.copyOfRange(x, r * in, (r + 1) * in)), 1, one.weight(t), wrap(alone));
                    assertArrayEquals(alone, Arrays.copyOfRange(batched, r * out, (r + 1) * out), "row " + r + " of " + rows);
                    for (int o = 0; o < out; o++) { // every tile computes the one canonical dot product
                        VectorKernels.widenRow(t, o, row, 0);
                        assertEquals(Float.floatToRawIntBits(VectorKernels.dotArray(x, r * in, row, 0, in)),
                                Float.floatToRawIntBits(alone[o]), "row " + r + ", column " + o);
                    }
                }
            }
        }
    }

    @Test
    void embeddingAndRmsNormFollowHuggingFace() {
        int dim = 37;
        float[] table = random(7, 5 * dim), weight = random(8, dim);
        try (Arena arena = Arena.ofConfined(); CpuBackend cpu = new CpuBackend(2)) {
            float[] x = new float[2 * dim];
            cpu.embed(cpu.weight(tensor(arena, DType.BF16, table, 5, dim)), new int[] {3, 0}, wrap(x));
            float[] tableBf16 = rounded(table, DType.BF16);
            assertArrayEquals(Arrays.copyOfRange(tableBf16, 3 * dim, 4 * dim), Arrays.copyOfRange(x, 0, dim));
            float[] y = new float[2 * dim];
            cpu.rmsNorm(wrap(x), 2, cpu.weight(tensor(arena, DType.F32, weight, dim)), 1e-5f, wrap(y));
            for (int r = 0; r < 2; r++) {
                double ss = 0;
                for (int i = 0; i < dim; i++) ss += (double) x[r * dim + i] * x[r * dim + i];
                double inv = 1 / Math.sqrt(ss / dim + 1e-5);
                for (int i = 0; i < dim; i++) assertEquals(x[r * dim + i] * inv * weight[i], y[r * dim + i], 1e-5);
            }
        }
    }

    @Test
    void ropeRotatesHalfSplitPairs() {
        int heads = 2, headDim = 6;
        float[] x = random(9, heads * headDim), invFreq = {1f, 0.1f, 0.01f};
        float[] y = x.clone();
        try (CpuBackend cpu = new CpuBackend(1)) {
            cpu.rope(wrap(y), 1, heads, headDim, RopeAngles.of(new int[] {7}, invFreq));
        }
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < 3; i++) {
                double angle = 7 * invFreq[i], a = x[h * 6 + i], b = x[h * 6 + 3 + i];
                assertEquals(a * Math.cos(angle) - b * Math.sin(angle), y[h * 6 + i], 1e-6);
                assertEquals(b * Math.cos(angle) + a * Math.sin(angle), y[h * 6 + 3 + i], 1e-6);
            }
        }
    }

    @Test
    void siluMulAndAdd() {
        float[] g = {-2f, 0f, 1.5f}, u = {3f, 4f, -1f}, a = {1f, 2f, 3f};
        try (CpuBackend cpu = new CpuBackend(2)) {
            cpu.siluMul(wrap(g), wrap(u), 3);
            cpu.add(wrap(a), wrap(u), 3);
        }
        for (int i = 0; i < 3; i++) {
            double z = new double[] {-2, 0, 1.5}[i];
            assertEquals(z / (1 + Math.exp(-z)) * new double[] {3, 4, -1}[i], g[i], 1e-6);
        }
        assertArrayEquals(new float[] {4f, 6f, 2f}, a);
    }

    @Test
    void siluMulIsAccurateAndTheSameInVectorLanesAndAlone() {
        int n = 1000 * VectorKernels.LANES + 7;
        float[] g = random(8, n), u = random(9, n);
        for (int i = 0; i < n; i++) g[i] *= 12; // far into both tails of the sigmoid
        float[] batch = g.clone();
        try (CpuBackend cpu = new CpuBackend(3)) {
            cpu.siluMul(wrap(batch), wrap(u), n);
            for (int i = 0; i < n; i += 37) {
                float[] alone = {g[i]};
                cpu.siluMul(wrap(alone), wrap(new float[] {u[i]}), 1);
                assertEquals(Float.floatToRawIntBits(alone[0]), Float.floatToRawIntBits(batch[i]), "element " + i);
                double z = g[i], expected = z / (1 + Math.exp(-z)) * u[i];
                assertEquals(expected, batch[i], 1e-6 * (1 + Math.abs(expected)), "element " + i);
            }
        }
    }
}
