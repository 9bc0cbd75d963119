package org.longbel.core.backend;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.longbel.core.Tensor;

/**
 * Vector API building blocks: BF16/F32/F16 weights widened to float32 (whole rows or one vector), the
 * fixed-order lane sum, and the one-row dot product that defines what every matmul kernel computes.
 *
 * <p>Determinism: a dot product is always the same sequence of operations — lane-wise fused multiply-adds
 * over full vectors, then the lanes summed by a fixed tree, then the scalar tail — whichever kernel (one row
 * or a tile of rows) computes it. {@code reduceLanes(ADD)} is avoided because its order is unspecified.
 */
final class VectorKernels {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int LANES = F.length();
    /** Shorts with as many lanes as {@link #F}: one BF16 load widens to one float vector. */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);

    private VectorKernels() {
    }

    /** {@link #LANES} BF16 values at {@code byteOffset}, widened exactly (the 16 bits become the high half). */
    static FloatVector bf16(MemorySegment seg, long byteOffset) {
        ShortVector s = ShortVector.fromMemorySegment(S, seg, byteOffset, LE);
        return ((IntVector) s.convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                .reinterpretAsFloats();
    }

    static float bf16Scalar(MemorySegment seg, long byteOffset) {
        return Float.intBitsToFloat(seg.get(I16_LE, byteOffset) << 16);
    }

    /** For each step of {@link #sumLanes}: lane j takes lane j + half (mod LANES). */
    private static final VectorShuffle<Float>[] FOLD = folds();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] folds() {
        int steps = Integer.numberOfTrailingZeros(LANES);
        VectorShuffle<Float>[] folds = new VectorShuffle[steps];
        for (int k = 0, half = LANES / 2; k < steps; k++, half /= 2) {
            int h = half;
            folds[k] = VectorShuffle.fromOp(F, j -> (j + h) % LANES);
        }
        return folds;
    }

    /**
     * Sum of the lanes by a fixed tree (lane j plus lane j + L/2, then again on the halves...). The order is
     * explicit, so it is the same in the interpreter and in compiled code (unlike {@code reduceLanes(ADD)}).
     */
    static float sumLanes(FloatVector v) {
        for (VectorShuffle<Float> fold : FOLD) v = v.add(v.rearrange(fold));
        return v.lane(0);
    }

    /**
     * The lane sums of {@code count} vectors stored at {@code v[off + k * LANES]}, each the same bits as
     * {@link #sumLanes(FloatVector)} (lane j plus lane j + half for half = L/2, ..., 1); sums end at
     * {@code v[off + k]}, overwriting the vectors. Written out for 16 and 8 lanes (AVX-512, AVX2): scalar adds
     * measured faster here than folding pairs of vectors with two-vector permutes.
     */
    static void sumLanes(float[] v, int off, int count) {
        for (int k = 0; k < count; k++) {
            int b = off + k * LANES;
            float s;
            if (LANES == 16) {
                float s0 = v[b] + v[b + 8], s1 = v[b + 1] + v[b + 9], s2 = v[b + 2] + v[b + 10], s3 = v[b + 3] + v[b + 11];
                float s4 = v[b + 4] + v[b + 12], s5 = v[b + 5] + v[b + 13], s6 = v[b + 6] + v[b + 14], s7 = v[b + 7] + v[b + 15];
                s = ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7));
            } else if (LANES == 8) {
                float s0 = v[b] + v[b + 4], s1 = v[b + 1] + v[b + 5], s2 = v[b + 2] + v[b + 6], s3 = v[b + 3] + v[b + 7];
                s = (s0 + s2) + (s1 + s3);
            } else {
                for (int half = LANES / 2; half > 0; half /= 2) {
                    for (int j = 0; j < half; j++) v[b + j] += v[b + j + half];
                }
                s = v[b];
            }
            v[off + k] = s;
        }
    }

    /*
     * Dot-product kernels. Every output element is computed the same way in every kernel:
     *   acc = 0; for each full vector chunk c in order: acc = fma(x[c], w[c], acc)
     *   s = sumLanes(acc); for each tail index i in order: s += x[i] * w[i]
     * The tiles of MicroKernels differ only in how many activation rows and weight rows they combine at once,
     * to reuse loaded vectors and to hide FMA latency.
     */

    // ---- weights already widened into a float[] ----

    static float dotArray(float[] x, int xOff, float[] w, int wOff, int n) {
        int bound = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < bound; i += LANES) {
            acc = FloatVector.fromArray(F, x, xOff + i).fma(FloatVector.fromArray(F, w, wOff + i), acc);
        }
        float s = sumLanes(acc);
        for (int i = bound; i < n; i++) s += x[xOff + i] * w[wOff + i];
        return s;
    }

    // ---- widening whole rows ----

    /** Rows {@code [from, to)} of a 2-D tensor, widened into {@code out[0..)} (row-major). */
    static void widenRows(Tensor t, int from, int to, float[] out) {
        int n = t.cols();
        for (int r = from; r < to; r++) widenRow(t, r, out, (r - from) * n);
    }

    /** Row {@code row} of a 2-D tensor (or the whole of a 1-D one), widened into {@code out[outOff..)}. */
    static void widenRow(Tensor t, int row, float[] out, int outOff) {
        int n = t.shape().length == 1 ? t.rows() : t.cols();
        widenRowSlice(t, row, 0, n, out, outOff);
    }

    /** Columns {@code [from, to)} of row {@code row} of a 2-D tensor, widened into {@code out[outOff..)}. */
    static void widenRowSlice(Tensor t, int row, int from, int to, float[] out, int outOff) {
        int n = t.shape().length == 1 ? t.rows() : t.cols();
        long base = ((long) row * n + from) * t.dtype().bytes();
        int count = to - from;
        MemorySegment seg = t.data();
        int bound = F.loopBound(count);
        switch (t.dtype()) {
            case BF16 -> {
                for (int i = 0; i < bound; i += LANES) bf16(seg, base + 2L * i).intoArray(out, outOff + i);
                for (int i = bound; i < count; i++) out[outOff + i] = bf16Scalar(seg, base + 2L * i);
            }
            case F32 -> {
                for (int i = 0; i < bound; i += LANES) {
                    FloatVector.fromMemorySegment(F, seg, base + 4L * i, LE).intoArray(out, outOff + i);
                }
                for (int i = bound; i < count; i++) out[outOff + i] = seg.get(F32_LE, base + 4L * i);
            }
            case F16 -> {
                for (int i = 0; i < count; i++) out[outOff + i] = Float.float16ToFloat(seg.get(I16_LE, base + 2L * i));
            }
        }
    }
}
