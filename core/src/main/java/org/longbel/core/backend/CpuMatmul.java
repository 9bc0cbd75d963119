package org.longbel.core.backend;

import java.lang.foreign.MemorySegment;
import org.longbel.core.DType;
import org.longbel.core.Tensor;

/**
 * {@code out = x · Wᵀ} with W read in place. Threads split the weight rows (output columns) into blocks
 * small enough to stay in a core's cache, and each block is used in one of two ways:
 * <ul>
 *   <li>decode (few activation rows, memory-bound): straight from the mapping, each weight row streamed
 *       once, widened in registers, four weight rows at a time (four independent accumulation chains);</li>
 *   <li>prefill (many rows, compute-bound): the block is widened once into a float32 scratch block, then
 *       four activation rows at a time meet two weight rows at a time, so every loaded vector serves
 *       several multiply-adds.</li>
 * </ul>
 * Both compute every output element with the same operations in the same order (see {@link VectorKernels}),
 * so a row's result does not depend on the path, the batch or the thread count.
 */
final class CpuMatmul {

    /** Bytes of float32 weights per block: fits a core's L2 next to four activation rows. */
    private static final int BLOCK_BYTES = 192 * 1024;
    /** From this many activation rows on, widening a block once pays for itself. */
    private static final int PREFILL_ROWS = 8;

    private CpuMatmul() {
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
        int blockRows = Math.max(4, BLOCK_BYTES / (in * Float.BYTES) / 4 * 4);
        int blocks = (outDim + blockRows - 1) / blockRows;
        boolean widen = rows >= PREFILL_ROWS || w.dtype() == DType.F16;
        pool.parallelFor(blocks, 1, (b0, b1) -> {
            float[] scratch = widen ? new float[blockRows * in] : null;
            for (int b = b0; b < b1; b++) {
                int o0 = b * blockRows, o1 = Math.min(outDim, o0 + blockRows);
                if (widen) {
                    VectorKernels.widenRows(w, o0, o1, scratch);
                    widenedBlock(x, rows, scratch, in, outDim, o0, o1, out);
                } else if (w.dtype() == DType.BF16) {
                    bf16Block(x, rows, w.data(), in, outDim, o0, o1, out);
                } else {
                    f32Block(x, rows, w.data(), in, outDim, o0, o1, out);
                }
            }
        });
    }

    /** Prefill: weight rows {@code [o0, o1)} already widened into {@code wb}. */
    private static void widenedBlock(float[] x, int rows, float[] wb, int in, int outDim, int o0, int o1, float[] out) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int o = o0;
            for (; o + 2 <= o1; o += 2) VectorKernels.dot4x2Array(x, r * in, wb, (o - o0) * in, in, out, r * outDim + o, outDim);
            for (; o < o1; o++) {
                for (int k = r; k < r + 4; k++) out[k * outDim + o] = VectorKernels.dotArray(x, k * in, wb, (o - o0) * in, in);
            }
        }
        for (; r < rows; r++) {
            for (int o = o0; o < o1; o++) out[r * outDim + o] = VectorKernels.dotArray(x, r * in, wb, (o - o0) * in, in);
        }
    }

    /** Decode with BF16 weights, widened in registers. */
    private static void bf16Block(float[] x, int rows, MemorySegment w, int in, int outDim, int o0, int o1, float[] out) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int o = o0;
            for (; o + 2 <= o1; o += 2) VectorKernels.dot4x2Bf16(x, r * in, w, 2L * o * in, in, out, r * outDim + o, outDim);
            for (; o < o1; o++) {
                for (int k = r; k < r + 4; k++) out[k * outDim + o] = VectorKernels.dotBf16(x, k * in, w, 2L * o * in, in);
            }
        }
        for (; r < rows; r++) {
            int o = o0;
            for (; o + 4 <= o1; o += 4) VectorKernels.dot1x4Bf16(x, r * in, w, 2L * o * in, in, out, r * outDim + o);
            for (; o < o1; o++) out[r * outDim + o] = VectorKernels.dotBf16(x, r * in, w, 2L * o * in, in);
        }
    }

    /** Decode with F32 weights. */
    private static void f32Block(float[] x, int rows, MemorySegment w, int in, int outDim, int o0, int o1, float[] out) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int o = o0;
            for (; o + 2 <= o1; o += 2) VectorKernels.dot4x2F32(x, r * in, w, 4L * o * in, in, out, r * outDim + o, outDim);
            for (; o < o1; o++) {
                for (int k = r; k < r + 4; k++) out[k * outDim + o] = VectorKernels.dotF32(x, k * in, w, 4L * o * in, in);
            }
        }
        for (; r < rows; r++) {
            int o = o0;
            for (; o + 4 <= o1; o += 4) VectorKernels.dot1x4F32(x, r * in, w, 4L * o * in, in, out, r * outDim + o);
            for (; o < o1; o++) out[r * outDim + o] = VectorKernels.dotF32(x, r * in, w, 4L * o * in, in);
        }
    }
}
