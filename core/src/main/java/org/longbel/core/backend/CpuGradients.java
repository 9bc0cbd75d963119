package org.longbel.core.backend;

import static org.longbel.core.backend.VectorKernels.F;
import static org.longbel.core.backend.VectorKernels.LANES;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import org.longbel.core.Tensor;

/**
 * The pieces of a Llama backward pass with respect to the inputs (never the weights), on the {@link CpuBackend}'s
 * worker pool: the product with a weight's transpose, RMSNorm, RoPE and SwiGLU backwards, and a full-sequence causal
 * attention forward and backward with hidden keys. Every output element is computed by one task in a fixed order,
 * so results do not depend on the thread count. Activations are float32 row-major {@code [rows, width]} arrays.
 */
public final class CpuGradients {

    /** Columns of {@code dx} per task of {@link #productTransposed}. */
    private static final int COLUMN_BLOCK = 256;

    private final CpuBackend cpu;

    public CpuGradients(CpuBackend cpu) {
        this.cpu = cpu;
    }

    /**
     * {@code dx[rows, in] = dy[rows, out] · w} for a Linear weight {@code w [out, in]}: the gradient of {@code x · wᵀ}
     * with respect to {@code x}. Many rows: {@code w} is transposed once into {@code [in, out]} (same element type)
     * and multiplied by the forward's tuned {@link CpuMatmul}. A few rows (the LM head's target rows): one streaming
     * pass over {@code w} ({@link #productTransposedStreaming}), no copy of a vocabulary-sized matrix.
     */
    public void productTransposed(float[] dy, int rows, Tensor w, float[] dx) {
        if (rows <= STREAMING_ROWS) {
            productTransposedStreaming(dy, rows, w, dx);
            return;
        }
        try (Arena arena = Arena.ofShared()) {
            CpuMatmul.run(cpu.pool(), dy, rows, transpose(w, arena), dx);
        }
    }

    /** Most rows for which {@link #productTransposed} streams the weight instead of transposing it. */
    static final int STREAMING_ROWS = 16;
    /** Side of the square tiles {@link #transpose} copies. */
    private static final int TILE = 64;

    /**
     * {@code w [out, in]} as a new tensor {@code [in, out]} of the same element type, in {@code arena}: square tiles
     * of {@value #TILE} read row by row into an array and written back column by column.
     */
    Tensor transpose(Tensor w, Arena arena) {
        int out = w.rows(), in = w.cols(), bytes = w.dtype().bytes();
        MemorySegment src = w.data(), dst = arena.allocate((long) out * in * bytes, 64);
        int tiles = (out + TILE - 1) / TILE;
        cpu.pool().parallelFor(tiles, 1, (t0, t1) -> {
            if (bytes == 2) {
                short[] tile = new short[TILE * TILE], column = new short[TILE];
                for (int ti = t0; ti < t1; ti++) {
                    int o0 = ti * TILE, oN = Math.min(out, o0 + TILE) - o0;
                    for (int i0 = 0; i0 < in; i0 += TILE) {
                        int iN = Math.min(in, i0 + TILE) - i0;
                        for (int o = 0; o < oN; o++) {
                            MemorySegment.copy(src, SHORT, ((long) (o0 + o) * in + i0) * 2, tile, o * TILE, iN);
                        }
                        for (int i = 0; i < iN; i++) {
                            for (int o = 0; o < oN; o++) column[o] = tile[o * TILE + i];
                            MemorySegment.copy(column, 0, dst, SHORT, ((long) (i0 + i) * out + o0) * 2, oN);
                        }
                    }
                }
            } else {
                int[] tile = new int[TILE * TILE], column = new int[TILE];
                for (int ti = t0; ti < t1; ti++) {
                    int o0 = ti * TILE, oN = Math.min(out, o0 + TILE) - o0;
                    for (int i0 = 0; i0 < in; i0 += TILE) {
                        int iN = Math.min(in, i0 + TILE) - i0;
                        for (int o = 0; o < oN; o++) {
                            MemorySegment.copy(src, INT, ((long) (o0 + o) * in + i0) * 4, tile, o * TILE, iN);
                        }
                        for (int i = 0; i < iN; i++) {
                            for (int o = 0; o < oN; o++) column[o] = tile[o * TILE + i];
                            MemorySegment.copy(column, 0, dst, INT, ((long) (i0 + i) * out + o0) * 4, oN);
                        }
                    }
                }
            }
        });
        return new Tensor(w.name() + ".T", w.dtype(), new long[] {in, out}, dst);
    }

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    /**
     * {@link #productTransposed} by one pass over {@code w}: tasks own blocks of columns of {@code dx}; each reads its
     * slice of every weight row once and adds {@code dy[t][o] * w[o][cols]} for o ascending.
     */
    void productTransposedStreaming(float[] dy, int rows, Tensor w, float[] dx) {
        int out = w.rows(), in = w.cols();
        int blocks = (in + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
        cpu.pool().parallelFor(blocks, 1, (b0, b1) -> {
            float[] slice = new float[COLUMN_BLOCK];
            for (int b = b0; b < b1; b++) {
                int c0 = b * COLUMN_BLOCK, c1 = Math.min(in, c0 + COLUMN_BLOCK), width = c1 - c0;
                for (int t = 0; t < rows; t++) java.util.Arrays.fill(dx, t * in + c0, t * in + c1, 0f);
                for (int o = 0; o < out; o++) {
                    VectorKernels.widenRowSlice(w, o, c0, c1, slice, 0);
                    for (int t = 0; t < rows; t++) {
                        float a = dy[t * out + o];
                        if (a == 0f) continue;
                        axpy(a, slice, 0, dx, t * in + c0, width);
                    }
                }
            }
        });
    }

    /** {@code y[yOff + i] += a * x[xOff + i]} for i in [0, n): the same fma per element in lanes and tail. */
    static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        FloatVector av = FloatVector.broadcast(F, a);
        for (; i + LANES <= n; i += LANES) {
            av.fma(FloatVector.fromArray(F, x, xOff + i), FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(a, x[xOff + i], y[yOff + i]);
    }

    /**
     * The gradient of Hugging Face's RMSNorm {@code y = w * (x * r)}, {@code r = (mean(x^2) + eps)^-1/2}, with respect
     * to x, ADDED to {@code dx}: {@code dx += r * g - x * r^3 / n * sum(g * x)} with {@code g = dy * w}.
     */
    public void rmsNormBackward(float[] x, int rows, Tensor weight, float eps, float[] dy, float[] dx) {
        int n = weight.rows();
        float[] w = new float[n];
        VectorKernels.widenRow(weight, 0, w, 0);
        cpu.pool().parallelFor(rows, cpu.pool().grainFor(rows, 2), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * n;
                double ss = 0, gx = 0;
                for (int i = 0; i < n; i++) {
                    ss += (double) x[off + i] * x[off + i];
                    gx += (double) dy[off + i] * w[i] * x[off + i];
                }
                double inv = 1.0 / Math.sqrt(ss / n + eps);
                double k = inv * inv * inv / n * gx;
                for (int i = 0; i < n; i++) dx[off + i] += (float) (inv * dy[off + i] * w[i] - x[off + i] * k);
            }
        });
    }

    /** The gradient of {@link CpuBackend#rope} (a rotation per pair): rotates {@code dy} back in place by -angle. */
    public static void ropeBackward(float[] dy, int rows, int heads, int headDim, RopeAngles angles) {
        int half = headDim / 2;
        float[] cos = angles.cos(), sin = angles.sin();
        for (int r = 0; r < rows; r++) {
            for (int h = 0; h < heads; h++) {
                int base = (r * heads + h) * headDim;
                for (int i = 0; i < half; i++) {
                    float c = cos[r * half + i], s = sin[r * half + i];
                    float ga = dy[base + i], gb = dy[base + half + i];
                    dy[base + i] = ga * c + gb * s;
                    dy[base + half + i] = gb * c - ga * s;
                }
            }
        }
    }

    /**
     * The gradients of {@code m = silu(gate) * up}: {@code dGate = dm * up * silu'(gate)}, {@code dUp = dm * silu(gate)},
     * written over {@code gate} and {@code up}; {@code silu'(z) = s(z) (1 + z (1 - s(z)))} with s the sigmoid.
     */
    public static void siluMulBackward(float[] dm, float[] gate, float[] up, int n) {
        for (int i = 0; i < n; i++) {
            double z = gate[i], s = 1 / (1 + Math.exp(-z));
            float u = up[i];
            up[i] = (float) (dm[i] * z * s);
            gate[i] = (float) (dm[i] * u * s * (1 + z * (1 - s)));
        }
    }

    /**
     * Causal attention of a whole sequence (queries and keys are the same {@code rows} positions), keys with
     * {@code hidden[s]} left out: {@code out} gets {@code softmax(q·kᵀ / sqrt(d)) v} per query head; query head h
     * reads kv head {@code h / (heads / kvHeads)}.
     */
    public void attention(float[] q, float[] k, float[] v, boolean[] hidden, int rows, int heads, int kvHeads, int headDim,
                          float[] out) {
        int group = heads / kvHeads, qDim = heads * headDim, kvDim = kvHeads * headDim;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        cpu.pool().parallelFor(rows * heads, cpu.pool().grainFor(rows * heads, 4), (i0, i1) -> {
            float[] p = new float[rows];
            for (int i = i0; i < i1; i++) {
                int t = i / heads, h = i % heads, kv = h / group;
                int qo = t * qDim + h * headDim;
                float max = scores(q, qo, k, kv * headDim, kvDim, hidden, t, headDim, scale, p);
                double sum = 0;
                for (int s = 0; s <= t; s++) if (!hidden[s]) sum += p[s] = (float) Math.exp(p[s] - max);
                java.util.Arrays.fill(out, qo, qo + headDim, 0f);
                for (int s = 0; s <= t; s++) {
                    if (!hidden[s]) axpy((float) (p[s] / sum), v, s * kvDim + kv * headDim, out, qo, headDim);
                }
            }
        });
    }

    /** {@code p[s] = q_t · k_s * scale} for the visible keys {@code s <= t}; returns their maximum. */
    private static float scores(float[] q, int qo, float[] k, int kOff, int kvDim, boolean[] hidden, int t, int headDim,
                                float scale, float[] p) {
        float max = Float.NEGATIVE_INFINITY;
        for (int s = 0; s <= t; s++) {
            if (hidden[s]) continue;
            p[s] = VectorKernels.dotArray(q, qo, k, s * kvDim + kOff, headDim) * scale;
            max = Math.max(max, p[s]);
        }
        return max;
    }

    /**
     * The backward of {@link #attention}: given {@code dOut} and the forward's {@code out}, writes {@code dq} and
     * {@code dk}, {@code dv} (the latter summed over the query heads of each kv head). One task per kv head, so the
     * sums over queries run in a fixed order.
     */
    public void attentionBackward(float[] q, float[] k, float[] v, boolean[] hidden, float[] out, float[] dOut, int rows,
                                  int heads, int kvHeads, int headDim, float[] dq, float[] dk, float[] dv) {
        int group = heads / kvHeads, qDim = heads * headDim, kvDim = kvHeads * headDim;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        java.util.Arrays.fill(dk, 0, rows * kvDim, 0f);
        java.util.Arrays.fill(dv, 0, rows * kvDim, 0f);
        cpu.pool().parallelFor(kvHeads, 1, (j0, j1) -> {
            float[] p = new float[rows];
            for (int kv = j0; kv < j1; kv++) {
                int ko = kv * headDim;
                for (int h = kv * group; h < (kv + 1) * group; h++) {
                    for (int t = 0; t < rows; t++) {
                        int qo = t * qDim + h * headDim;
                        float max = scores(q, qo, k, ko, kvDim, hidden, t, headDim, scale, p);
                        double sum = 0;
                        for (int s = 0; s <= t; s++) if (!hidden[s]) sum += p[s] = (float) Math.exp(p[s] - max);
                        float delta = VectorKernels.dotArray(dOut, qo, out, qo, headDim);   // dO_t · O_t
                        java.util.Arrays.fill(dq, qo, qo + headDim, 0f);
                        for (int s = 0; s <= t; s++) {
                            if (hidden[s]) continue;
                            float prob = (float) (p[s] / sum);
                            float dp = VectorKernels.dotArray(dOut, qo, v, s * kvDim + ko, headDim);
                            float ds = prob * (dp - delta) * scale;
                            axpy(ds, k, s * kvDim + ko, dq, qo, headDim);
                            axpy(ds, q, qo, dk, s * kvDim + ko, headDim);
                            axpy(prob, dOut, qo, dv, s * kvDim + ko, headDim);
                        }
                    }
                }
            }
        });
    }
}
