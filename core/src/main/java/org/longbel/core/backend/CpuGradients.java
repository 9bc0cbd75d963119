package org.longbel.core.backend;

import static org.longbel.core.backend.VectorKernels.F;
import static org.longbel.core.backend.VectorKernels.LANES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import org.longbel.core.DType;
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
     * with respect to {@code x}, without transposing {@code w}. Weight rows are contiguous along {@code in}, so a
     * task owns a panel of {@value #PANEL_VECTORS} vectors of columns and, for 4 rows of {@code dy} at a time, keeps
     * 16 accumulators in registers: for o ascending, the panel's slice of weight row o is loaded (and widened) once
     * and meets the 4 broadcast values {@code dy[t][o]} (8 loads per 16 FMAs). Each element is one fma chain over o
     * ascending, whatever the panel, the row tile or the thread count. A few rows (the LM head's target rows), F16
     * weights and the columns after the last whole panel go by {@link #streamingColumns}.
     */
    public void productTransposed(float[] dy, int rows, Tensor w, float[] dx) {
        int in = w.cols();
        if (rows <= STREAMING_ROWS || w.dtype() == DType.F16) {
            int blocks = (in + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
            cpu.pool().parallelFor(blocks, 1, (b0, b1) -> {
                for (int b = b0; b < b1; b++) streamingColumns(dy, rows, w, dx, b * COLUMN_BLOCK, Math.min(in, (b + 1) * COLUMN_BLOCK));
            });
            return;
        }
        int width = PANEL_VECTORS * LANES, panels = in / width;
        cpu.pool().parallelFor(panels + 1, 1, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                if (p < panels) panel(dy, rows, w, dx, p * width);
                else if (panels * width < in) streamingColumns(dy, rows, w, dx, panels * width, in);
            }
        });
    }

    /** Most rows for which {@link #productTransposed} streams the weight rather than tiling it. */
    static final int STREAMING_ROWS = 8;
    /** Vectors of columns per panel of {@link #productTransposed}. */
    private static final int PANEL_VECTORS = 4;

    private static FloatVector load(boolean bf16, MemorySegment seg, long byteOffset) {
        return bf16 ? VectorKernels.bf16(seg, byteOffset) : FloatVector.fromMemorySegment(F, seg, byteOffset, VectorKernels.LE);
    }

    /** Columns {@code [c0, c0 + 4 * LANES)} of {@code dx}, every row (BF16 or F32 weights). */
    private static void panel(float[] dy, int rows, Tensor w, float[] dx, int c0) {
        boolean bf16 = w.dtype() == DType.BF16;
        int out = w.rows(), in = w.cols(), bytes = w.dtype().bytes();
        long rowBytes = (long) in * bytes, step = (long) LANES * bytes;
        MemorySegment seg = w.data();
        int t = 0;
        for (; t + 4 <= rows; t += 4) {
            FloatVector z = FloatVector.zero(F);
            FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z;
            FloatVector a20 = z, a21 = z, a22 = z, a23 = z, a30 = z, a31 = z, a32 = z, a33 = z;
            int d0 = t * out, d1 = d0 + out, d2 = d1 + out, d3 = d2 + out;
            for (int o = 0; o < out; o++) {
                long at = o * rowBytes + (long) c0 * bytes;
                FloatVector w0 = load(bf16, seg, at), w1 = load(bf16, seg, at + step);
                FloatVector w2 = load(bf16, seg, at + 2 * step), w3 = load(bf16, seg, at + 3 * step);
                FloatVector b = FloatVector.broadcast(F, dy[d0 + o]);
                a00 = b.fma(w0, a00); a01 = b.fma(w1, a01); a02 = b.fma(w2, a02); a03 = b.fma(w3, a03);
                b = FloatVector.broadcast(F, dy[d1 + o]);
                a10 = b.fma(w0, a10); a11 = b.fma(w1, a11); a12 = b.fma(w2, a12); a13 = b.fma(w3, a13);
                b = FloatVector.broadcast(F, dy[d2 + o]);
                a20 = b.fma(w0, a20); a21 = b.fma(w1, a21); a22 = b.fma(w2, a22); a23 = b.fma(w3, a23);
                b = FloatVector.broadcast(F, dy[d3 + o]);
                a30 = b.fma(w0, a30); a31 = b.fma(w1, a31); a32 = b.fma(w2, a32); a33 = b.fma(w3, a33);
            }
            int x0 = t * in + c0, x1 = x0 + in, x2 = x1 + in, x3 = x2 + in;
            a00.intoArray(dx, x0); a01.intoArray(dx, x0 + LANES); a02.intoArray(dx, x0 + 2 * LANES); a03.intoArray(dx, x0 + 3 * LANES);
            a10.intoArray(dx, x1); a11.intoArray(dx, x1 + LANES); a12.intoArray(dx, x1 + 2 * LANES); a13.intoArray(dx, x1 + 3 * LANES);
            a20.intoArray(dx, x2); a21.intoArray(dx, x2 + LANES); a22.intoArray(dx, x2 + 2 * LANES); a23.intoArray(dx, x2 + 3 * LANES);
            a30.intoArray(dx, x3); a31.intoArray(dx, x3 + LANES); a32.intoArray(dx, x3 + 2 * LANES); a33.intoArray(dx, x3 + 3 * LANES);
        }
        for (; t < rows; t++) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            int d = t * out;
            for (int o = 0; o < out; o++) {
                long at = o * rowBytes + (long) c0 * bytes;
                FloatVector b = FloatVector.broadcast(F, dy[d + o]);
                a0 = b.fma(load(bf16, seg, at), a0);
                a1 = b.fma(load(bf16, seg, at + step), a1);
                a2 = b.fma(load(bf16, seg, at + 2 * step), a2);
                a3 = b.fma(load(bf16, seg, at + 3 * step), a3);
            }
            int x = t * in + c0;
            a0.intoArray(dx, x); a1.intoArray(dx, x + LANES); a2.intoArray(dx, x + 2 * LANES); a3.intoArray(dx, x + 3 * LANES);
        }
    }

    /**
     * Columns {@code [c0, c1)} of {@code dx} in one pass over {@code w}: each weight row's slice is widened once and
     * {@code dy[t][o] * slice} added to every row t, o ascending (one fma per element per o, as in {@link #panel}).
     */
    private static void streamingColumns(float[] dy, int rows, Tensor w, float[] dx, int c0, int c1) {
        int out = w.rows(), in = w.cols(), width = c1 - c0;
        float[] slice = new float[width];
        for (int t = 0; t < rows; t++) java.util.Arrays.fill(dx, t * in + c0, t * in + c1, 0f);
        for (int o = 0; o < out; o++) {
            VectorKernels.widenRowSlice(w, o, c0, c1, slice, 0);
            for (int t = 0; t < rows; t++) axpy(dy[t * out + o], slice, 0, dx, t * in + c0, width);
        }
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
