package org.longbel.core.backend;

import static org.longbel.core.backend.VectorKernels.F;
import static org.longbel.core.backend.VectorKernels.LANES;
import static org.longbel.core.backend.VectorKernels.bf16;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * Register tiles of the matmul: activation rows (float32, row-major, stride {@code in}) against a group of four
 * weight rows, read in place from the checkpoint mapping (BF16, widened in registers) or from a widened
 * float32 buffer (F32, F16). A tile leaves its accumulators in an array ({@code acc}); {@link VectorKernels#sumLanes}
 * and {@link #finish} turn them into outputs. Every output element is thus
 * {@code acc = fma over the full vector chunks in order; s = sumLanes(acc); s += x[i] * w[i] over the tail in
 * order}, exactly as {@link VectorKernels#dotArray} computes it, whichever tile computes it. Vectors never
 * leave a method through parameters or results: an escaping vector is boxed on every loop step.
 */
final class MicroKernels {

    private MicroKernels() {
    }

    /**
     * Six activation rows ({@code xOff}, {@code xOff + in}, ...) against four consecutive BF16 weight rows
     * starting at byte {@code wOff}, widened in registers: twenty-four accumulators, ten vector loads per
     * twenty-four fused multiply-adds (the prefill tile). Accumulator (row k, weight row j) goes to
     * {@code acc[(4k + j) * LANES]}.
     */
    static void tile6x4(float[] x, int xOff, int in, MemorySegment w, long wOff, float[] acc) {
        int bound = F.loopBound(in);
        int x1 = xOff + in, x2 = x1 + in, x3 = x2 + in, x4 = x3 + in, x5 = x4 + in;
        long r1 = wOff + 2L * in, r2 = r1 + 2L * in, r3 = r2 + 2L * in;
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00, a20 = a00;
        FloatVector a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00, a40 = a00;
        FloatVector a41 = a00, a42 = a00, a43 = a00, a50 = a00, a51 = a00, a52 = a00, a53 = a00;
        for (int i = 0; i < bound; i += LANES) {
            long b = 2L * i;
            FloatVector w0 = bf16(w, wOff + b), w1 = bf16(w, r1 + b), w2 = bf16(w, r2 + b), w3 = bf16(w, r3 + b);
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            a00 = v.fma(w0, a00);
            a01 = v.fma(w1, a01);
            a02 = v.fma(w2, a02);
            a03 = v.fma(w3, a03);
            v = FloatVector.fromArray(F, x, x1 + i);
            a10 = v.fma(w0, a10);
            a11 = v.fma(w1, a11);
            a12 = v.fma(w2, a12);
            a13 = v.fma(w3, a13);
            v = FloatVector.fromArray(F, x, x2 + i);
            a20 = v.fma(w0, a20);
            a21 = v.fma(w1, a21);
            a22 = v.fma(w2, a22);
            a23 = v.fma(w3, a23);
            v = FloatVector.fromArray(F, x, x3 + i);
            a30 = v.fma(w0, a30);
            a31 = v.fma(w1, a31);
            a32 = v.fma(w2, a32);
            a33 = v.fma(w3, a33);
            v = FloatVector.fromArray(F, x, x4 + i);
            a40 = v.fma(w0, a40);
            a41 = v.fma(w1, a41);
            a42 = v.fma(w2, a42);
            a43 = v.fma(w3, a43);
            v = FloatVector.fromArray(F, x, x5 + i);
            a50 = v.fma(w0, a50);
            a51 = v.fma(w1, a51);
            a52 = v.fma(w2, a52);
            a53 = v.fma(w3, a53);
        }
        a00.intoArray(acc, 0);
        a01.intoArray(acc, 1 * LANES);
        a02.intoArray(acc, 2 * LANES);
        a03.intoArray(acc, 3 * LANES);
        a10.intoArray(acc, 4 * LANES);
        a11.intoArray(acc, 5 * LANES);
        a12.intoArray(acc, 6 * LANES);
        a13.intoArray(acc, 7 * LANES);
        a20.intoArray(acc, 8 * LANES);
        a21.intoArray(acc, 9 * LANES);
        a22.intoArray(acc, 10 * LANES);
        a23.intoArray(acc, 11 * LANES);
        a30.intoArray(acc, 12 * LANES);
        a31.intoArray(acc, 13 * LANES);
        a32.intoArray(acc, 14 * LANES);
        a33.intoArray(acc, 15 * LANES);
        a40.intoArray(acc, 16 * LANES);
        a41.intoArray(acc, 17 * LANES);
        a42.intoArray(acc, 18 * LANES);
        a43.intoArray(acc, 19 * LANES);
        a50.intoArray(acc, 20 * LANES);
        a51.intoArray(acc, 21 * LANES);
        a52.intoArray(acc, 22 * LANES);
        a53.intoArray(acc, 23 * LANES);
    }

    /** As {@link #tile6x4} for five activation rows (a decode step of five beams). */
    static void tile5x4(float[] x, int xOff, int in, MemorySegment w, long wOff, float[] acc) {
        int bound = F.loopBound(in);
        int x1 = xOff + in, x2 = x1 + in, x3 = x2 + in, x4 = x3 + in;
        long r1 = wOff + 2L * in, r2 = r1 + 2L * in, r3 = r2 + 2L * in;
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00, a20 = a00;
        FloatVector a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00, a40 = a00;
        FloatVector a41 = a00, a42 = a00, a43 = a00;
        for (int i = 0; i < bound; i += LANES) {
            long b = 2L * i;
            FloatVector w0 = bf16(w, wOff + b), w1 = bf16(w, r1 + b), w2 = bf16(w, r2 + b), w3 = bf16(w, r3 + b);
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            a00 = v.fma(w0, a00);
            a01 = v.fma(w1, a01);
            a02 = v.fma(w2, a02);
            a03 = v.fma(w3, a03);
            v = FloatVector.fromArray(F, x, x1 + i);
            a10 = v.fma(w0, a10);
            a11 = v.fma(w1, a11);
            a12 = v.fma(w2, a12);
            a13 = v.fma(w3, a13);
            v = FloatVector.fromArray(F, x, x2 + i);
            a20 = v.fma(w0, a20);
            a21 = v.fma(w1, a21);
            a22 = v.fma(w2, a22);
            a23 = v.fma(w3, a23);
            v = FloatVector.fromArray(F, x, x3 + i);
            a30 = v.fma(w0, a30);
            a31 = v.fma(w1, a31);
            a32 = v.fma(w2, a32);
            a33 = v.fma(w3, a33);
            v = FloatVector.fromArray(F, x, x4 + i);
            a40 = v.fma(w0, a40);
            a41 = v.fma(w1, a41);
            a42 = v.fma(w2, a42);
            a43 = v.fma(w3, a43);
        }
        a00.intoArray(acc, 0);
        a01.intoArray(acc, 1 * LANES);
        a02.intoArray(acc, 2 * LANES);
        a03.intoArray(acc, 3 * LANES);
        a10.intoArray(acc, 4 * LANES);
        a11.intoArray(acc, 5 * LANES);
        a12.intoArray(acc, 6 * LANES);
        a13.intoArray(acc, 7 * LANES);
        a20.intoArray(acc, 8 * LANES);
        a21.intoArray(acc, 9 * LANES);
        a22.intoArray(acc, 10 * LANES);
        a23.intoArray(acc, 11 * LANES);
        a30.intoArray(acc, 12 * LANES);
        a31.intoArray(acc, 13 * LANES);
        a32.intoArray(acc, 14 * LANES);
        a33.intoArray(acc, 15 * LANES);
        a40.intoArray(acc, 16 * LANES);
        a41.intoArray(acc, 17 * LANES);
        a42.intoArray(acc, 18 * LANES);
        a43.intoArray(acc, 19 * LANES);
    }

    /** As {@link #tile6x4} for four activation rows. */
    static void tile4x4(float[] x, int xOff, int in, MemorySegment w, long wOff, float[] acc) {
        int bound = F.loopBound(in);
        int x1 = xOff + in, x2 = x1 + in, x3 = x2 + in;
        long r1 = wOff + 2L * in, r2 = r1 + 2L * in, r3 = r2 + 2L * in;
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00, a20 = a00;
        FloatVector a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int i = 0; i < bound; i += LANES) {
            long b = 2L * i;
            FloatVector w0 = bf16(w, wOff + b), w1 = bf16(w, r1 + b), w2 = bf16(w, r2 + b), w3 = bf16(w, r3 + b);
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            a00 = v.fma(w0, a00);
            a01 = v.fma(w1, a01);
            a02 = v.fma(w2, a02);
            a03 = v.fma(w3, a03);
            v = FloatVector.fromArray(F, x, x1 + i);
            a10 = v.fma(w0, a10);
            a11 = v.fma(w1, a11);
            a12 = v.fma(w2, a12);
            a13 = v.fma(w3, a13);
            v = FloatVector.fromArray(F, x, x2 + i);
            a20 = v.fma(w0, a20);
            a21 = v.fma(w1, a21);
            a22 = v.fma(w2, a22);
            a23 = v.fma(w3, a23);
            v = FloatVector.fromArray(F, x, x3 + i);
            a30 = v.fma(w0, a30);
            a31 = v.fma(w1, a31);
            a32 = v.fma(w2, a32);
            a33 = v.fma(w3, a33);
        }
        a00.intoArray(acc, 0);
        a01.intoArray(acc, 1 * LANES);
        a02.intoArray(acc, 2 * LANES);
        a03.intoArray(acc, 3 * LANES);
        a10.intoArray(acc, 4 * LANES);
        a11.intoArray(acc, 5 * LANES);
        a12.intoArray(acc, 6 * LANES);
        a13.intoArray(acc, 7 * LANES);
        a20.intoArray(acc, 8 * LANES);
        a21.intoArray(acc, 9 * LANES);
        a22.intoArray(acc, 10 * LANES);
        a23.intoArray(acc, 11 * LANES);
        a30.intoArray(acc, 12 * LANES);
        a31.intoArray(acc, 13 * LANES);
        a32.intoArray(acc, 14 * LANES);
        a33.intoArray(acc, 15 * LANES);
    }

    /**
     * One activation row against eight consecutive BF16 weight rows (two groups) from byte {@code wOff}: the
     * decode step of one sequence is a pure stream of weights, and eight concurrent row streams keep more
     * memory requests in flight than four (measured about 20 % faster). Accumulator j goes to
     * {@code acc[j * LANES]}.
     */
    static void tile1x8(float[] x, int xOff, int in, MemorySegment w, long wOff, float[] acc) {
        int bound = F.loopBound(in);
        long rb = 2L * in, r1 = wOff + rb, r2 = r1 + rb, r3 = r2 + rb, r4 = r3 + rb, r5 = r4 + rb, r6 = r5 + rb, r7 = r6 + rb;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int i = 0; i < bound; i += LANES) {
            long b = 2L * i;
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            a0 = v.fma(bf16(w, wOff + b), a0);
            a1 = v.fma(bf16(w, r1 + b), a1);
            a2 = v.fma(bf16(w, r2 + b), a2);
            a3 = v.fma(bf16(w, r3 + b), a3);
            a4 = v.fma(bf16(w, r4 + b), a4);
            a5 = v.fma(bf16(w, r5 + b), a5);
            a6 = v.fma(bf16(w, r6 + b), a6);
            a7 = v.fma(bf16(w, r7 + b), a7);
        }
        a0.intoArray(acc, 0);
        a1.intoArray(acc, LANES);
        a2.intoArray(acc, 2 * LANES);
        a3.intoArray(acc, 3 * LANES);
        a4.intoArray(acc, 4 * LANES);
        a5.intoArray(acc, 5 * LANES);
        a6.intoArray(acc, 6 * LANES);
        a7.intoArray(acc, 7 * LANES);
    }

    /** As {@link #tile1x8} for one group of four weight rows (the last group of a panel with an odd count). */
    static void tile1x4(float[] x, int xOff, int in, MemorySegment w, long wOff, float[] acc) {
        int bound = F.loopBound(in);
        long r1 = wOff + 2L * in, r2 = r1 + 2L * in, r3 = r2 + 2L * in;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < bound; i += LANES) {
            long b = 2L * i;
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            a0 = v.fma(bf16(w, wOff + b), a0);
            a1 = v.fma(bf16(w, r1 + b), a1);
            a2 = v.fma(bf16(w, r2 + b), a2);
            a3 = v.fma(bf16(w, r3 + b), a3);
        }
        a0.intoArray(acc, 0);
        a1.intoArray(acc, LANES);
        a2.intoArray(acc, 2 * LANES);
        a3.intoArray(acc, 3 * LANES);
    }

    /**
     * One activation row against four consecutive widened weight rows of a float32 buffer (row-major, stride
     * {@code in}, the first at {@code wOff}): F32 and F16 checkpoints. Accumulator j goes to {@code acc[j * LANES]}.
     */
    static void tile1x4(float[] x, int xOff, int in, float[] w, int wOff, float[] acc) {
        int bound = F.loopBound(in);
        int r1 = wOff + in, r2 = r1 + in, r3 = r2 + in;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            a0 = v.fma(FloatVector.fromArray(F, w, wOff + i), a0);
            a1 = v.fma(FloatVector.fromArray(F, w, r1 + i), a1);
            a2 = v.fma(FloatVector.fromArray(F, w, r2 + i), a2);
            a3 = v.fma(FloatVector.fromArray(F, w, r3 + i), a3);
        }
        a0.intoArray(acc, 0);
        a1.intoArray(acc, LANES);
        a2.intoArray(acc, 2 * LANES);
        a3.intoArray(acc, 3 * LANES);
    }

    /**
     * Output elements from summed accumulators: {@code sums[sk + j]} for weight row j of the group, plus the
     * scalar tails ({@code tail} widened values per weight row, row j's at {@code w[t + j * stride]}), stored at
     * {@code out[o..o+3]}.
     */
    static void finish(float[] sums, int sk, float[] x, int xOff, int bound, int tail, float[] w, int t, int stride,
                       float[] out, int o) {
        float s0 = sums[sk], s1 = sums[sk + 1], s2 = sums[sk + 2], s3 = sums[sk + 3];
        for (int i = 0; i < tail; i++) {
            float xi = x[xOff + bound + i];
            s0 += xi * w[t + i];
            s1 += xi * w[t + stride + i];
            s2 += xi * w[t + 2 * stride + i];
            s3 += xi * w[t + 3 * stride + i];
        }
        out[o] = s0;
        out[o + 1] = s1;
        out[o + 2] = s2;
        out[o + 3] = s3;
    }
}
