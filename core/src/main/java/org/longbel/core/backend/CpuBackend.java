package org.longbel.core.backend;

import static org.longbel.core.backend.VectorKernels.F;
import static org.longbel.core.backend.VectorKernels.LANES;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.longbel.core.LogSoftmax;
import org.longbel.core.LogitRow;
import org.longbel.core.Tensor;
import org.longbel.core.kv.HostKvStorage;
import org.longbel.core.kv.KvBatch;
import org.longbel.core.kv.KvLayout;
import org.longbel.core.kv.KvStorage;

/**
 * The {@link Backend} on the CPU: Vector API kernels ({@link VectorKernels}, {@link CpuMatmul},
 * {@link CpuAttention}) run on a fixed pool of {@code threads} worker threads owned by this object.
 * Matmuls are split over output columns, attention over (run of rows of one sequence, kv head) tasks, and each
 * output element is reduced in a fixed order whatever the thread count or the batch.
 */
public final class CpuBackend implements Backend {

    private final WorkerPool pool;

    /** A backend running on {@code threads} threads (the calling thread counts as one). */
    public CpuBackend(int threads) {
        this.pool = new WorkerPool(threads);
    }

    /** Threads used, the calling thread included. */
    public int threads() { return pool.threads(); }

    /** The worker pool (for the backward kernels of {@link CpuGradients}). */
    WorkerPool pool() { return pool; }

    @Override
    public String description() {
        return "CPU, " + threads() + " thread(s), Vector API with " + LANES + " float lanes";
    }

    @Override
    public ActivationBuffer allocate(int floats) {
        return new HostBuffer(new float[floats]);
    }

    /** A buffer over an existing array (no copy): for callers that already hold their activations on the heap. */
    public static ActivationBuffer wrap(float[] array) {
        return new HostBuffer(array);
    }

    /** The array behind a buffer this backend made (or {@link #wrap}ped). */
    public static float[] array(ActivationBuffer buffer) {
        if (buffer instanceof HostBuffer(float[] array)) return array;
        throw new IllegalArgumentException("the CPU backend cannot use a buffer of another backend: " + buffer.getClass().getName());
    }

    @Override
    public void upload(float[] src, int n, ActivationBuffer dst) {
        System.arraycopy(src, 0, array(dst), 0, n);
    }

    @Override
    public void download(ActivationBuffer src, long offset, int n, float[] dst) {
        System.arraycopy(array(src), Math.toIntExact(offset), dst, 0, n);
    }

    @Override
    public Weight weight(Tensor tensor) {
        return new HostWeight(tensor);
    }

    @Override
    public KvStorage newKvStorage(KvLayout layout, int capacity) {
        return new HostKvStorage(layout, capacity);
    }

    private static HostKvStorage host(KvStorage kv) {
        if (kv instanceof HostKvStorage h) return h;
        throw new IllegalArgumentException("the CPU backend cannot use a KV storage of another backend: " + kv.getClass().getName()
                + "; make the cache with this model's newCache()");
    }

    @Override
    public void embed(Weight tableWeight, int[] ids, ActivationBuffer outBuffer) {
        Tensor table = tableWeight.tensor();
        float[] out = array(outBuffer);
        int dim = table.cols();
        for (int r = 0; r < ids.length; r++) {
            if (ids[r] < 0 || ids[r] >= table.rows()) {
                throw new IllegalArgumentException("token id " + ids[r] + " is outside the vocabulary [0, " + table.rows() + ")");
            }
            VectorKernels.widenRow(table, ids[r], out, r * dim);
        }
    }

    @Override
    public void rmsNorm(ActivationBuffer xBuffer, int rows, Weight weight, float eps, ActivationBuffer outBuffer) {
        float[] x = array(xBuffer), out = array(outBuffer);
        int dim = weight.rows();
        float[] w = new float[dim];
        VectorKernels.widenRow(weight.tensor(), 0, w, 0);
        pool.parallelFor(rows, pool.grainFor(rows, 2), (r0, r1) -> {
            for (int r = r0; r < r1; r++) rmsNormRow(x, r * dim, dim, w, eps, out);
        });
    }

    private static void rmsNormRow(float[] x, int off, int n, float[] w, float eps, float[] out) {
        int bound = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(F, x, off + i);
            acc = v.fma(v, acc);
        }
        float ss = VectorKernels.sumLanes(acc);
        for (int i = bound; i < n; i++) ss += x[off + i] * x[off + i];
        float inv = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (int i = 0; i < bound; i += LANES) {
            FloatVector.fromArray(F, x, off + i).mul(inv).mul(FloatVector.fromArray(F, w, i)).intoArray(out, off + i);
        }
        for (int i = bound; i < n; i++) out[off + i] = x[off + i] * inv * w[i];
    }

    @Override
    public void matmul(ActivationBuffer x, int rows, Weight w, ActivationBuffer out) {
        CpuMatmul.run(pool, array(x), rows, w.tensor(), array(out));
    }

    @Override
    public void rope(ActivationBuffer xBuffer, int rows, int heads, int headDim, RopeAngles angles) {
        float[] x = array(xBuffer);
        int half = headDim / 2;
        if (angles.half() != half) throw new IllegalArgumentException(angles.half() + " frequencies for head_dim " + headDim);
        float[] cos = angles.cos(), sin = angles.sin();
        for (int r = 0; r < rows; r++) {
            int a0 = r * half;
            for (int h = 0; h < heads; h++) {
                int base = (r * heads + h) * headDim;
                for (int i = 0; i < half; i++) {
                    float a = x[base + i], b = x[base + half + i];
                    x[base + i] = a * cos[a0 + i] - b * sin[a0 + i];
                    x[base + half + i] = b * cos[a0 + i] + a * sin[a0 + i];
                }
            }
        }
    }

    @Override
    public void writeKv(KvStorage kv, KvBatch batch, int layer, ActivationBuffer kBuffer, ActivationBuffer vBuffer) {
        HostKvStorage storage = host(kv);
        KvLayout layout = storage.layout();
        float[] k = array(kBuffer), v = array(vBuffer);
        int kvDim = layout.kvDim(), blockSize = layout.blockSize();
        int[] positions = batch.positions();
        for (int r = 0; r < positions.length; r++) {
            MemorySegment block = storage.block(batch.block(r, positions[r]));
            int slot = positions[r] % blockSize;
            MemorySegment.copy(k, r * kvDim, block, ValueLayout.JAVA_FLOAT, layout.keyFloat(layer, slot) * Float.BYTES, kvDim);
            MemorySegment.copy(v, r * kvDim, block, ValueLayout.JAVA_FLOAT, layout.valueFloat(layer, slot) * Float.BYTES, kvDim);
        }
    }

    @Override
    public void attention(ActivationBuffer q, KvStorage kv, KvBatch batch, int layer, int heads, int kvHeads, int headDim,
                          ActivationBuffer out) {
        CpuAttention.run(pool, array(q), host(kv), batch, layer, heads, kvHeads, headDim, array(out));
    }

    /**
     * {@code silu(g) * up = g * sigmoid(g) * up} with {@code e = exp(-|g|)} from {@link LogSoftmax#expNonPositive}:
     * {@code sigmoid(g) = 1 / (1 + e)} for g >= 0 and {@code e / (1 + e)} below, so the exponential never
     * overflows. Vector lanes and the scalar tail do the same operations, so every element has one result.
     */
    @Override
    public void siluMul(ActivationBuffer gateBuffer, ActivationBuffer upBuffer, int n) {
        float[] gate = array(gateBuffer), up = array(upBuffer);
        pool.parallelFor(n, Math.max(LANES, pool.grainFor(n, 2) / LANES * LANES), (i0, i1) -> {
            int i = i0;
            for (; i + LANES <= i1; i += LANES) {
                FloatVector g = FloatVector.fromArray(F, gate, i);
                FloatVector e = LogSoftmax.expNonPositive(g.abs().neg());
                FloatVector num = e.blend(1f, g.compare(VectorOperators.GE, 0f));
                g.mul(num).div(e.add(1f)).mul(FloatVector.fromArray(F, up, i)).intoArray(gate, i);
            }
            for (; i < i1; i++) {
                float g = gate[i], e = LogSoftmax.expNonPositive(-Math.abs(g));
                gate[i] = g * (g >= 0f ? 1f : e) / (e + 1f) * up[i];
            }
        });
    }

    @Override
    public void add(ActivationBuffer xBuffer, ActivationBuffer yBuffer, int n) {
        float[] x = array(xBuffer), y = array(yBuffer);
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += LANES) {
            FloatVector.fromArray(F, x, i).add(FloatVector.fromArray(F, y, i)).intoArray(x, i);
        }
        for (int i = bound; i < n; i++) x[i] += y[i];
    }

    @Override
    public void logits(ActivationBuffer xBuffer, int[] rows, Weight lmHead, ActivationBuffer out) {
        float[] x = array(xBuffer);
        int dim = lmHead.cols();
        float[] selected = new float[rows.length * dim];
        for (int i = 0; i < rows.length; i++) System.arraycopy(x, rows[i] * dim, selected, i * dim, dim);
        CpuMatmul.run(pool, selected, rows.length, lmHead.tensor(), array(out));
    }

    /** The rows straight from the output array (no intermediate copy of the whole block). */
    @Override
    public LogitRow[] readLogits(ActivationBuffer logits, int rows, int vocab, int[][] select) {
        return LogitRow.of(array(logits), rows, vocab, select);
    }

    @Override
    public void close() {
        pool.close();
    }
}
