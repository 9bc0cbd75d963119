package org.longbel.core.backend;

import static org.longbel.core.backend.VectorKernels.LANES;

import java.lang.foreign.MemorySegment;
import org.longbel.core.DType;
import org.longbel.core.Tensor;

/**
 * {@code out = x · Wᵀ} with W read in place from the checkpoint mapping.
 *
 * <p>Threads take panels of consecutive weight rows (output columns) in turn. Within a panel, activation rows
 * go in blocks that stay in the core's L2 cache; for each block, each group of four weight rows meets the
 * block's rows in register tiles of six (then five or four) rows, and rows left over meet two groups at once
 * ({@link MicroKernels}). So the weights are read from memory once per call and widened in registers, and
 * every loaded vector serves several multiply-adds. A decode step of a few rows streams the weights once at
 * memory speed; a prefill of thousands of rows keeps the FMA units busy. F32 and F16 weights (small test
 * checkpoints) are widened panel by panel into a float32 buffer instead and use the one-row tile.
 *
 * <p>Every output element is the same sequence of operations in every tile (see {@link MicroKernels}), so a
 * row's result depends neither on the other rows of the batch nor on the thread count.
 */
final class CpuMatmul {

    /** Bytes of weights per panel, as stored: several panels fit a core's L2 next to a block of activations. */
    private static final int PANEL_BYTES = 128 * 1024;
    /** Bytes of activations per block of rows (in L2 while it meets a panel). */
    private static final int BLOCK_BYTES = 384 * 1024;
    /**
     * Bytes of activations per pass over all panels: a long prefill is cut into passes that stay in L3, so each
     * panel re-reads its pass's rows from L3 rather than memory (the weights are read once per pass).
     */
    private static final int PASS_BYTES = 2 * 1024 * 1024;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private CpuMatmul() {
    }

    /** Per-thread buffers: accumulators of one tile, widened tails of a panel, a widened panel or row. */
    private static final class Scratch {
        final float[] acc = new float[24 * LANES];
        float[] tails = new float[0];
        float[] widened = new float[0];

        float[] widened(int size) {
            if (widened.length < size) widened = new float[size];
            return widened;
        }
    }

    static void run(WorkerPool pool, float[] x, int rows, Tensor w, float[] out) {
        if (w.shape().length != 2) throw new IllegalArgumentException(w + " is not a matrix");
        int outDim = w.rows(), in = w.cols();
        if (x.length < (long) rows * in) {
            throw new IllegalArgumentException("input has " + x.length + " floats, need " + rows + " x " + in + " for " + w);
        }
        if (out.length < (long) rows * outDim) {
            throw new IllegalArgumentException("output has " + out.length + " floats, need " + rows + " x " + outDim + " for " + w);
        }
        if (rows == 0) return;
        boolean bf16 = w.dtype() == DType.BF16;
        int panelRows = Math.max(4, PANEL_BYTES / (in * w.dtype().bytes()) / 4 * 4);
        int panels = (outDim + panelRows - 1) / panelRows;
        int passRows = bf16 ? Math.max(1, PASS_BYTES / (in * Float.BYTES)) : rows;
        for (int first = 0; first < rows; first += passRows) {
            int from = first, to = Math.min(rows, first + passRows);
            pool.parallelFor(panels, 1, (p0, p1) -> {
                Scratch s = SCRATCH.get();
                for (int p = p0; p < p1; p++) {
                    int o0 = p * panelRows, o1 = Math.min(outDim, o0 + panelRows);
                    if (bf16) streamPanel(x, from, to, w, o0, o1, outDim, out, s);
                    else widenedPanel(x, rows, w, o0, o1, outDim, out, s);
                }
            });
        }
    }

    /** BF16 weight rows {@code [o0, o1)} against activation rows {@code [from, rows)}, tiles widening the weights in registers. */
    private static void streamPanel(float[] x, int from, int rows, Tensor w, int o0, int o1, int outDim, float[] out, Scratch s) {
        int in = w.cols(), bound = VectorKernels.F.loopBound(in), tail = in - bound, groups = (o1 - o0) / 4;
        MemorySegment seg = w.data();
        long rowBytes = 2L * in;
        float[] tails = s.tails;
        if (tail > 0) { // the scalar tails of every group, widened once: [group][row 0..3][tail]
            if (tails.length < groups * 4 * tail) tails = s.tails = new float[groups * 4 * tail];
            for (int k = 0; k < 4 * groups; k++) {
                for (int i = 0; i < tail; i++) tails[k * tail + i] = VectorKernels.bf16Scalar(seg, (o0 + k) * rowBytes + 2L * (bound + i));
            }
        }
        int blockRows = Math.max(6, BLOCK_BYTES / (in * Float.BYTES) / 6 * 6);
        for (int r0 = from; r0 < rows; r0 += blockRows) {
            int r1 = Math.min(rows, r0 + blockRows), n = r1 - r0;
            int sixes = n / 6;
            if (sixes > 0 && (n % 6 == 2 || n % 6 == 3)) sixes--; // 8 or 9 rows go as 4 + 4 (+ 1)
            int fives = n % 6 == 5 ? 1 : 0, fours = (n - 6 * sixes - 5 * fives) / 4;
            int singles = r0 + 6 * sixes + 5 * fives + 4 * fours; // rows from here on take one row at a time
            for (int g = 0; g < groups; g += 2) { // two groups at a time: single rows take both in one tile
                int pair = Math.min(2, groups - g);
                for (int gg = g; gg < g + pair; gg++) {
                    long wOff = (o0 + 4L * gg) * rowBytes;
                    int o = o0 + 4 * gg, t = 4 * gg * tail, r = r0;
                    for (int k = 0; k < sixes; k++, r += 6) {
                        MicroKernels.tile6x4(x, r * in, in, seg, wOff, s.acc);
                        finishTile(s.acc, 6, x, r, in, bound, tail, tails, t, tail, out, outDim, o);
                    }
                    for (int k = 0; k < fives; k++, r += 5) {
                        MicroKernels.tile5x4(x, r * in, in, seg, wOff, s.acc);
                        finishTile(s.acc, 5, x, r, in, bound, tail, tails, t, tail, out, outDim, o);
                    }
                    for (int k = 0; k < fours; k++, r += 4) {
                        MicroKernels.tile4x4(x, r * in, in, seg, wOff, s.acc);
                        finishTile(s.acc, 4, x, r, in, bound, tail, tails, t, tail, out, outDim, o);
                    }
                }
                long pairOff = (o0 + 4L * g) * rowBytes;
                for (int r = singles; r < r1; r++) {
                    if (pair == 2) MicroKernels.tile1x8(x, r * in, in, seg, pairOff, s.acc);
                    else MicroKernels.tile1x4(x, r * in, in, seg, pairOff, s.acc);
                    VectorKernels.sumLanes(s.acc, 0, 4 * pair);
                    for (int k = 0; k < pair; k++) {
                        MicroKernels.finish(s.acc, 4 * k, x, r * in, bound, tail, tails, 4 * (g + k) * tail, tail, out,
                                r * outDim + o0 + 4 * (g + k));
                    }
                }
            }
        }
        if (o0 + 4 * groups < o1) { // at most three weight rows outside the groups: one dot product each
            float[] row = s.widened(in);
            for (int o = o0 + 4 * groups; o < o1; o++) {
                VectorKernels.widenRow(w, o, row, 0);
                for (int k = from; k < rows; k++) out[k * outDim + o] = VectorKernels.dotArray(x, k * in, row, 0, in);
            }
        }
    }

    /**
     * Rows {@code [o0, o1)} of a non-BF16 matrix, widened into a float32 buffer (row-major), against all activation
     * rows: the one-row tile over each group of four rows, then the rows outside the groups one dot product each.
     */
    private static void widenedPanel(float[] x, int rows, Tensor w, int o0, int o1, int outDim, float[] out, Scratch s) {
        int in = w.cols(), bound = VectorKernels.F.loopBound(in), groups = (o1 - o0) / 4;
        float[] wp = s.widened((o1 - o0) * in);
        VectorKernels.widenRows(w, o0, o1, wp);
        for (int g = 0; g < groups; g++) {
            int wo = 4 * g * in;
            for (int r = 0; r < rows; r++) {
                MicroKernels.tile1x4(x, r * in, in, wp, wo, s.acc);
                finishTile(s.acc, 1, x, r, in, bound, in - bound, wp, wo + bound, in, out, outDim, o0 + 4 * g);
            }
        }
        for (int o = o0 + 4 * groups; o < o1; o++) {
            for (int k = 0; k < rows; k++) out[k * outDim + o] = VectorKernels.dotArray(x, k * in, wp, (o - o0) * in, in);
        }
    }

    /**
     * Sums a tile's accumulators ({@code height} activation rows by four weight rows) and stores the outputs; the
     * four weight rows' widened tails start at {@code w[t]}, {@code stride} apart.
     */
    private static void finishTile(float[] acc, int height, float[] x, int r, int in, int bound, int tail, float[] w,
                                   int t, int stride, float[] out, int outDim, int o) {
        VectorKernels.sumLanes(acc, 0, 4 * height);
        for (int k = 0; k < height; k++) {
            MicroKernels.finish(acc, 4 * k, x, (r + k) * in, bound, tail, w, t, stride, out, (r + k) * outDim + o);
        }
    }
}
