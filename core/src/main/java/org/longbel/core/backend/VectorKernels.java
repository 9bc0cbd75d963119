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
 * Vector API building blocks: dot products of float32 activations with BF16/F32 weight rows read in place
 * from a {@link MemorySegment}, and row widening.
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

    /*
     * Dot-product kernels. Every output element is computed the same way in every kernel:
     *   acc = 0; for each full vector chunk c in order: acc = fma(x[c], w[c], acc)
     *   s = sumLanes(acc); for each tail index i in order: s += x[i] * w[i]
     * Kernels differ only in how many activation rows (x, stride n) and weight rows (w, stride n elements)
     * they combine at once, to reuse loaded vectors and to hide FMA latency.
     */

    // ---- BF16 weights read in place, widened in registers (decode) ----

    /** {@code x[xOff..xOff+n) · w[wOff..)} with BF16 weights ({@code wOff} in bytes). */
    static float dotBf16(float[] x, int xOff, MemorySegment w, long wOff, int n) {
        int bound = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < bound; i += LANES) {
            acc = FloatVector.fromArray(F, x, xOff + i).fma(bf16(w, wOff + 2L * i), acc);
        }
        float s = sumLanes(acc);
        for (int i = bound; i < n; i++) s += x[xOff + i] * bf16Scalar(w, wOff + 2L * i);
        return s;
    }

    /**
     * One activation row against four consecutive BF16 weight rows (decode): four independent chains.
     * Results go to {@code out[o..o+3]}.
     */
    static void dot1x4Bf16(float[] x, int xOff, MemorySegment w, long wOff, int n, float[] out, int o) {
        int bound = F.loopBound(n);
        long w1 = wOff + 2L * n, w2 = w1 + 2L * n, w3 = w2 + 2L * n;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < bound; i += LANES) {
            FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
            a0 = xv.fma(bf16(w, wOff + 2L * i), a0);
            a1 = xv.fma(bf16(w, w1 + 2L * i), a1);
            a2 = xv.fma(bf16(w, w2 + 2L * i), a2);
            a3 = xv.fma(bf16(w, w3 + 2L * i), a3);
        }
        float s0 = sumLanes(a0), s1 = sumLanes(a1), s2 = sumLanes(a2), s3 = sumLanes(a3);
        for (int i = bound; i < n; i++) {
            float xi = x[xOff + i];
            s0 += xi * bf16Scalar(w, wOff + 2L * i);
            s1 += xi * bf16Scalar(w, w1 + 2L * i);
            s2 += xi * bf16Scalar(w, w2 + 2L * i);
            s3 += xi * bf16Scalar(w, w3 + 2L * i);
        }
        out[o] = s0;
        out[o + 1] = s1;
        out[o + 2] = s2;
        out[o + 3] = s3;
    }

    /**
     * Four activation rows against two consecutive BF16 weight rows (prefill): each widened weight vector
     * serves four rows. Results go to {@code out[o + k*outStride]} and {@code out[o + 1 + k*outStride]}.
     */
    static void dot4x2Bf16(float[] x, int xOff, MemorySegment w, long wOff, int n, float[] out, int o, int outStride) {
        int bound = F.loopBound(n);
        int x1 = xOff + n, x2 = x1 + n, x3 = x2 + n;
        long w1 = wOff + 2L * n;
        FloatVector a00 = FloatVector.zero(F), a10 = a00, a20 = a00, a30 = a00;
        FloatVector a01 = a00, a11 = a00, a21 = a00, a31 = a00;
        for (int i = 0; i < bound; i += LANES) {
            FloatVector v0 = bf16(w, wOff + 2L * i), v1 = bf16(w, w1 + 2L * i);
            FloatVector x0v = FloatVector.fromArray(F, x, xOff + i);
            a00 = x0v.fma(v0, a00);
            a01 = x0v.fma(v1, a01);
            FloatVector x1v = FloatVector.fromArray(F, x, x1 + i);
            a10 = x1v.fma(v0, a10);
            a11 = x1v.fma(v1, a11);
            FloatVector x2v = FloatVector.fromArray(F, x, x2 + i);
            a20 = x2v.fma(v0, a20);
            a21 = x2v.fma(v1, a21);
            FloatVector x3v = FloatVector.fromArray(F, x, x3 + i);
            a30 = x3v.fma(v0, a30);
            a31 = x3v.fma(v1, a31);
        }
        float s00 = sumLanes(a00), s10 = sumLanes(a10), s20 = sumLanes(a20), s30 = sumLanes(a30);
        float s01 = sumLanes(a01), s11 = sumLanes(a11), s21 = sumLanes(a21), s31 = sumLanes(a31);
        for (int i = bound; i < n; i++) {
            float v0 = bf16Scalar(w, wOff + 2L * i), v1 = bf16Scalar(w, w1 + 2L * i);
            s00 += x[xOff + i] * v0;
            s01 += x[xOff + i] * v1;
            s10 += x[x1 + i] * v0;
            s11 += x[x1 + i] * v1;
            s20 += x[x2 + i] * v0;
            s21 += x[x2 + i] * v1;
            s30 += x[x3 + i] * v0;
            s31 += x[x3 + i] * v1;
        }
        store4x2(out, o, outStride, s00, s01, s10, s11, s20, s21, s30, s31);
    }

    // ---- F32 weights read in place (decode) ----

    static float dotF32(float[] x, int xOff, MemorySegment w, long wOff, int n) {
        int bound = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < bound; i += LANES) {
            acc = FloatVector.fromArray(F, x, xOff + i).fma(FloatVector.fromMemorySegment(F, w, wOff + 4L * i, LE), acc);
        }
        float s = sumLanes(acc);
        for (int i = bound; i < n; i++) s += x[xOff + i] * w.get(F32_LE, wOff + 4L * i);
        return s;
    }

    static void dot1x4F32(float[] x, int xOff, MemorySegment w, long wOff, int n, float[] out, int o) {
        int bound = F.loopBound(n);
        long w1 = wOff + 4L * n, w2 = w1 + 4L * n, w3 = w2 + 4L * n;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < bound; i += LANES) {
            FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
            a0 = xv.fma(FloatVector.fromMemorySegment(F, w, wOff + 4L * i, LE), a0);
            a1 = xv.fma(FloatVector.fromMemorySegment(F, w, w1 + 4L * i, LE), a1);
            a2 = xv.fma(FloatVector.fromMemorySegment(F, w, w2 + 4L * i, LE), a2);
            a3 = xv.fma(FloatVector.fromMemorySegment(F, w, w3 + 4L * i, LE), a3);
        }
        float s0 = sumLanes(a0), s1 = sumLanes(a1), s2 = sumLanes(a2), s3 = sumLanes(a3);
        for (int i = bound; i < n; i++) {
            float xi = x[xOff + i];
            s0 += xi * w.get(F32_LE, wOff + 4L * i);
            s1 += xi * w.get(F32_LE, w1 + 4L * i);
            s2 += xi * w.get(F32_LE, w2 + 4L * i);
            s3 += xi * w.get(F32_LE, w3 + 4L * i);
        }
        out[o] = s0;
        out[o + 1] = s1;
        out[o + 2] = s2;
        out[o + 3] = s3;
    }

    static void dot4x2F32(float[] x, int xOff, MemorySegment w, long wOff, int n, float[] out, int o, int outStride) {
        int bound = F.loopBound(n);
        int x1 = xOff + n, x2 = x1 + n, x3 = x2 + n;
        long w1 = wOff + 4L * n;
        FloatVector a00 = FloatVector.zero(F), a10 = a00, a20 = a00, a30 = a00;
        FloatVector a01 = a00, a11 = a00, a21 = a00, a31 = a00;
        for (int i = 0; i < bound; i += LANES) {
            FloatVector v0 = FloatVector.fromMemorySegment(F, w, wOff + 4L * i, LE);
            FloatVector v1 = FloatVector.fromMemorySegment(F, w, w1 + 4L * i, LE);
            FloatVector x0v = FloatVector.fromArray(F, x, xOff + i);
            a00 = x0v.fma(v0, a00);
            a01 = x0v.fma(v1, a01);
            FloatVector x1v = FloatVector.fromArray(F, x, x1 + i);
            a10 = x1v.fma(v0, a10);
            a11 = x1v.fma(v1, a11);
            FloatVector x2v = FloatVector.fromArray(F, x, x2 + i);
            a20 = x2v.fma(v0, a20);
            a21 = x2v.fma(v1, a21);
            FloatVector x3v = FloatVector.fromArray(F, x, x3 + i);
            a30 = x3v.fma(v0, a30);
            a31 = x3v.fma(v1, a31);
        }
        float s00 = sumLanes(a00), s10 = sumLanes(a10), s20 = sumLanes(a20), s30 = sumLanes(a30);
        float s01 = sumLanes(a01), s11 = sumLanes(a11), s21 = sumLanes(a21), s31 = sumLanes(a31);
        for (int i = bound; i < n; i++) {
            float v0 = w.get(F32_LE, wOff + 4L * i), v1 = w.get(F32_LE, w1 + 4L * i);
            s00 += x[xOff + i] * v0;
            s01 += x[xOff + i] * v1;
            s10 += x[x1 + i] * v0;
            s11 += x[x1 + i] * v1;
            s20 += x[x2 + i] * v0;
            s21 += x[x2 + i] * v1;
            s30 += x[x3 + i] * v0;
            s31 += x[x3 + i] * v1;
        }
        store4x2(out, o, outStride, s00, s01, s10, s11, s20, s21, s30, s31);
    }

    // ---- weights already widened into a float[] block (prefill) ----

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

    static void dot4x2Array(float[] x, int xOff, float[] w, int wOff, int n, float[] out, int o, int outStride) {
        int bound = F.loopBound(n);
        int x1 = xOff + n, x2 = x1 + n, x3 = x2 + n, w1 = wOff + n;
        FloatVector a00 = FloatVector.zero(F), a10 = a00, a20 = a00, a30 = a00;
        FloatVector a01 = a00, a11 = a00, a21 = a00, a31 = a00;
        for (int i = 0; i < bound; i += LANES) {
            FloatVector v0 = FloatVector.fromArray(F, w, wOff + i), v1 = FloatVector.fromArray(F, w, w1 + i);
            FloatVector x0v = FloatVector.fromArray(F, x, xOff + i);
            a00 = x0v.fma(v0, a00);
            a01 = x0v.fma(v1, a01);
            FloatVector x1v = FloatVector.fromArray(F, x, x1 + i);
            a10 = x1v.fma(v0, a10);
            a11 = x1v.fma(v1, a11);
            FloatVector x2v = FloatVector.fromArray(F, x, x2 + i);
            a20 = x2v.fma(v0, a20);
            a21 = x2v.fma(v1, a21);
            FloatVector x3v = FloatVector.fromArray(F, x, x3 + i);
            a30 = x3v.fma(v0, a30);
            a31 = x3v.fma(v1, a31);
        }
        float s00 = sumLanes(a00), s10 = sumLanes(a10), s20 = sumLanes(a20), s30 = sumLanes(a30);
        float s01 = sumLanes(a01), s11 = sumLanes(a11), s21 = sumLanes(a21), s31 = sumLanes(a31);
        for (int i = bound; i < n; i++) {
            float v0 = w[wOff + i], v1 = w[w1 + i];
            s00 += x[xOff + i] * v0;
            s01 += x[xOff + i] * v1;
            s10 += x[x1 + i] * v0;
            s11 += x[x1 + i] * v1;
            s20 += x[x2 + i] * v0;
            s21 += x[x2 + i] * v1;
            s30 += x[x3 + i] * v0;
            s31 += x[x3 + i] * v1;
        }
        store4x2(out, o, outStride, s00, s01, s10, s11, s20, s21, s30, s31);
    }

    private static void store4x2(float[] out, int o, int stride, float s00, float s01, float s10, float s11,
                                 float s20, float s21, float s30, float s31) {
        out[o] = s00;
        out[o + 1] = s01;
        out[o + stride] = s10;
        out[o + stride + 1] = s11;
        out[o + 2 * stride] = s20;
        out[o + 2 * stride + 1] = s21;
        out[o + 3 * stride] = s30;
        out[o + 3 * stride + 1] = s31;
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
        long base = (long) row * n * t.dtype().bytes();
        MemorySegment seg = t.data();
        int bound = F.loopBound(n);
        switch (t.dtype()) {
            case BF16 -> {
                for (int i = 0; i < bound; i += LANES) bf16(seg, base + 2L * i).intoArray(out, outOff + i);
                for (int i = bound; i < n; i++) out[outOff + i] = bf16Scalar(seg, base + 2L * i);
            }
            case F32 -> {
                for (int i = 0; i < bound; i += LANES) {
                    FloatVector.fromMemorySegment(F, seg, base + 4L * i, LE).intoArray(out, outOff + i);
                }
                for (int i = bound; i < n; i++) out[outOff + i] = seg.get(F32_LE, base + 4L * i);
            }
            case F16 -> {
                for (int i = 0; i < n; i++) out[outOff + i] = Float.float16ToFloat(seg.get(I16_LE, base + 2L * i));
            }
        }
    }
}
