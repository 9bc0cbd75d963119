package org.longbel.core.backend;

import static org.longbel.core.backend.VectorKernels.F;
import static org.longbel.core.backend.VectorKernels.LANES;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.longbel.core.kv.PagedKvCache;

/**
 * Causal GQA attention of query rows over a {@link PagedKvCache}, one (row, head) per task. For each, the
 * scores over positions {@code 0..pos} are computed in order, softmaxed in float32 and used to sum the values
 * in order, so the result does not depend on which other rows or threads exist.
 */
final class CpuAttention {

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat KV_FLOAT = ValueLayout.JAVA_FLOAT;

    private CpuAttention() {
    }

    static void run(WorkerPool pool, float[] q, int rows, int[] seqs, int[] positions, PagedKvCache cache,
                    int layer, int heads, int kvHeads, int headDim, float[] out) {
        if (heads % kvHeads != 0) throw new IllegalArgumentException(heads + " heads is not a multiple of " + kvHeads + " kv heads");
        int qDim = heads * headDim;
        int group = heads / kvHeads;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        int blockSize = cache.blockSize();
        int tasks = rows * heads;
        pool.parallelFor(tasks, pool.grainFor(tasks, 4), (t0, t1) -> {
            float[] scores = null;
            float[] acc = new float[headDim];
            MemorySegment[] blocks = null;
            int blocksRow = -1;
            for (int t = t0; t < t1; t++) {
                int r = t / heads, h = t % heads;
                int pos = positions[r];
                if (r != blocksRow) {
                    blocks = cache.blocks(seqs[r]);
                    blocksRow = r;
                }
                if (scores == null || scores.length < pos + 1) scores = new float[Math.max(pos + 1, 64)];
                long headOffset = (long) (h / group) * headDim * Float.BYTES;
                int qOff = r * qDim + h * headDim;
                for (int j = 0; j <= pos; j++) {
                    MemorySegment b = blocks[j / blockSize];
                    long k = cache.keyOffset(layer, j % blockSize) + headOffset;
                    scores[j] = dot(q, qOff, b, k, headDim) * scale;
                }
                softmax(scores, pos + 1);
                Arrays.fill(acc, 0f);
                for (int j = 0; j <= pos; j++) {
                    MemorySegment b = blocks[j / blockSize];
                    long v = cache.valueOffset(layer, j % blockSize) + headOffset;
                    axpy(scores[j], b, v, acc, headDim);
                }
                System.arraycopy(acc, 0, out, qOff, headDim);
            }
        });
    }

    /** {@code q[qOff..qOff+n) · kv[off..)}: lanes summed by {@link VectorKernels#sumLanes}, then the tail. */
    private static float dot(float[] q, int qOff, MemorySegment kv, long off, int n) {
        int bound = F.loopBound(n);
        float s = 0f;
        if (bound > 0) {
            FloatVector acc = FloatVector.zero(F);
            for (int i = 0; i < bound; i += LANES) {
                acc = FloatVector.fromArray(F, q, qOff + i).fma(FloatVector.fromMemorySegment(F, kv, off + 4L * i, NATIVE), acc);
            }
            s = VectorKernels.sumLanes(acc);
        }
        for (int i = bound; i < n; i++) s += q[qOff + i] * kv.get(KV_FLOAT, off + 4L * i);
        return s;
    }

    /** {@code acc += p * v[off..off+n)}. */
    private static void axpy(float p, MemorySegment v, long off, float[] acc, int n) {
        int bound = F.loopBound(n);
        FloatVector pv = FloatVector.broadcast(F, p);
        for (int i = 0; i < bound; i += LANES) {
            FloatVector.fromMemorySegment(F, v, off + 4L * i, NATIVE).fma(pv, FloatVector.fromArray(F, acc, i)).intoArray(acc, i);
        }
        for (int i = bound; i < n; i++) acc[i] = Math.fma(v.get(KV_FLOAT, off + 4L * i), p, acc[i]);
    }

    /** In-place float32 softmax of {@code x[0..n)}. */
    private static void softmax(float[] x, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, x[i]);
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.exp(x[i] - max);
            sum += x[i];
        }
        for (int i = 0; i < n; i++) x[i] /= sum;
    }
}
