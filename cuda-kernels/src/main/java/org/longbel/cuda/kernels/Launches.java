package org.longbel.cuda.kernels;

import java.util.List;
import org.longbel.cuda.kernels.Launch.Arg;
import org.longbel.cuda.kernels.Launch.F32;
import org.longbel.cuda.kernels.Launch.I32;
import org.longbel.cuda.kernels.Launch.I64;
import org.longbel.cuda.kernels.Launch.Ptr;

/**
 * The launch configuration of every kernel of {@code longbel_kernels.cu}, as pure functions from the
 * arguments to a {@link Launch}. The block sizes here are the ones the kernels were written for (their
 * {@code __launch_bounds__} and {@code #define}s); keep them in step with the .cu source.
 *
 * <table>
 *   <caption>Launch configurations</caption>
 *   <tr><th>kernel</th><th>grid</th><th>block</th><th>dynamic shared</th></tr>
 *   <tr><td>embed_bf16, rms_norm, rope, write_kv</td><td>(rows)</td><td>256</td><td>0</td></tr>
 *   <tr><td>gather_rows</td><td>(n)</td><td>256</td><td>0</td></tr>
 *   <tr><td>attention</td><td>(rows, kvHeads, G/GC)</td><td>128 (4 warps)</td>
 *       <td>{@link #attentionSharedBytes}</td></tr>
 *   <tr><td>silu_mul, add_inplace, f32_to_bf16, bf16_to_f32, gather_logits</td>
 *       <td>min(ceil(n/256), 65536), grid-stride</td><td>256</td><td>0</td></tr>
 *   <tr><td>row_logsumexp</td><td>(rows)</td><td>512</td><td>0</td></tr>
 *   <tr><td>topk_rows</td><td>(rows)</td><td>256</td><td>0 (static 1.6 KB)</td></tr>
 * </table>
 * A count of zero rows or elements gives gridX = 0, which {@link Kernels} skips.
 */
public final class Launches {

    /** Threads per block of the one-CTA-per-row kernels (ROW_THREADS in the .cu). */
    public static final int ROW_THREADS = 256;
    /** Threads per block of the element-wise kernels (EW_THREADS). */
    public static final int EW_THREADS = 256;
    /** Most blocks of an element-wise launch; the kernels loop over the rest (grid-stride). */
    public static final int EW_MAX_BLOCKS = 65536;
    /** Threads per block of row_logsumexp (LSE_THREADS). */
    public static final int LSE_THREADS = 512;
    /** Threads per block of topk_rows (TOPK_THREADS). */
    public static final int TOPK_THREADS = 256;
    /** Largest k of topk_rows (TOPK_MAX). */
    public static final int TOPK_MAX = 64;
    /** Warps per attention CTA (ATT_WARPS). */
    public static final int ATT_WARPS = 4;
    /** Largest headDim of attention. */
    public static final int ATT_MAX_HEAD_DIM = 256;
    /** Shared memory a CTA may use without opting in. */
    public static final int DEFAULT_SHARED_LIMIT = 48 * 1024;

    private Launches() {}

    private static Launch rowKernel(String kernel, int rows, int block, Arg... args) {
        nonNegative(kernel, "rows", rows);
        return new Launch(kernel, rows, 1, 1, block, 0, List.of(args));
    }

    private static Launch elementwise(String kernel, long n, Arg... args) {
        nonNegative(kernel, "n", n);
        int blocks = (int) Math.min((n + EW_THREADS - 1) / EW_THREADS, EW_MAX_BLOCKS);
        return new Launch(kernel, blocks, 1, 1, EW_THREADS, 0, List.of(args));
    }

    private static void nonNegative(String kernel, String what, long v) {
        if (v < 0) throw new IllegalArgumentException(kernel + ": " + what + " < 0: " + v);
    }

    private static Ptr p(long address) { return new Ptr(address); }
    private static I32 i(int v) { return new I32(v); }
    private static I64 l(long v) { return new I64(v); }
    private static F32 f(float v) { return new F32(v); }

    /** out[r,:] = widen(table[ids[r],:]); table BF16 [vocab, dim], ids int [rows], out float [rows, dim]. */
    public static Launch embedBf16(long table, long ids, long out, int rows, int dim) {
        return rowKernel("embed_bf16", rows, ROW_THREADS, p(table), p(ids), p(out), i(rows), i(dim));
    }

    /** Hugging Face RMSNorm over rows of x (float [rows, dim]), BF16 weight [dim]; out may be x. */
    public static Launch rmsNorm(long x, long weight, long out, int rows, int dim, float eps) {
        return rowKernel("rms_norm", rows, ROW_THREADS, p(x), p(weight), p(out), i(rows), i(dim), f(eps));
    }

    /** RMSNorm like {@link #rmsNorm} with a float32 weight (F32 and F16 checkpoints). */
    public static Launch rmsNormF32Weight(long x, long weight, long out, int rows, int dim, float eps) {
        return rowKernel("rms_norm_f32w", rows, ROW_THREADS, p(x), p(weight), p(out), i(rows), i(dim), f(eps));
    }

    /** RoPE in place on x [rows, heads*headDim], HF half-split; cos/sin float [rows, headDim/2]. */
    public static Launch rope(long x, long cos, long sin, int rows, int heads, int headDim) {
        if (headDim % 2 != 0) throw new IllegalArgumentException("rope: odd headDim " + headDim);
        return rowKernel("rope", rows, ROW_THREADS, p(x), p(cos), p(sin), i(rows), i(heads), i(headDim));
    }

    /** Writes k, v [rows, kvDim] into the paged KV pool at (rowBlock[r], rowSlot[r]) of the given layer. */
    public static Launch writeKv(long k, long v, long pool, long rowBlock,
                                 long rowSlot, int rows, int kvDim, int blockSize, int layer, long blockFloats) {
        return rowKernel("write_kv", rows, ROW_THREADS, p(k), p(v), p(pool), p(rowBlock), p(rowSlot), i(rows),
                i(kvDim), i(blockSize), i(layer), l(blockFloats));
    }

    /** Query heads one attention CTA covers: the largest of 4, 2, 1 dividing heads/kvHeads. */
    public static int attentionHeadsPerCta(int heads, int kvHeads) {
        int g = heads / kvHeads;
        return g % 4 == 0 ? 4 : g % 2 == 0 ? 2 : 1;
    }

    /** Dynamic shared memory of an attention CTA (the layout is documented in the .cu). */
    public static int attentionSharedBytes(int headDim, int headsPerCta) {
        int floats = headDim * headsPerCta + ATT_WARPS * 32 * headsPerCta + 2 * ATT_WARPS * headsPerCta
                + ATT_WARPS * headsPerCta * headDim;
        return ATT_WARPS * 32 * Long.BYTES + floats * Float.BYTES;
    }

    /**
     * Causal paged attention of each query row over positions 0..positions[r] of its sequence.
     * q, out float [rows, heads*headDim]; tables int (block ids of all sequences, each row's list starting at
     * rowTableStart[r]); positions int [rows].
     */
    public static Launch attention(long q, long pool, long tables, long rowTableStart,
                                   long positions, long out, int rows, int heads, int kvHeads,
                                   int headDim, int blockSize, int layer, long blockFloats, float scale) {
        nonNegative("attention", "rows", rows);
        if (kvHeads <= 0 || heads <= 0 || heads % kvHeads != 0)
            throw new IllegalArgumentException("attention: heads " + heads + " not a multiple of kvHeads " + kvHeads);
        if (headDim <= 0 || headDim % 2 != 0 || headDim > ATT_MAX_HEAD_DIM)
            throw new IllegalArgumentException("attention: headDim must be even and <= 256: " + headDim);
        if (blockSize <= 0) throw new IllegalArgumentException("attention: blockSize " + blockSize);
        int gc = attentionHeadsPerCta(heads, kvHeads);
        int shared = attentionSharedBytes(headDim, gc);
        if (shared > DEFAULT_SHARED_LIMIT) throw new IllegalStateException("attention: " + shared + " B shared");
        return new Launch("attention", rows, kvHeads, heads / kvHeads / gc, ATT_WARPS * 32, shared,
                List.of(p(q), p(pool), p(tables), p(rowTableStart), p(positions), p(out), i(rows), i(heads),
                        i(kvHeads), i(headDim), i(blockSize), i(layer), l(blockFloats), f(scale)));
    }

    /** gate = silu(gate) * up over n floats. */
    public static Launch siluMul(long gate, long up, long n) {
        return elementwise("silu_mul", n, p(gate), p(up), l(n));
    }

    /** x += y over n floats. */
    public static Launch addInplace(long x, long y, long n) {
        return elementwise("add_inplace", n, p(x), p(y), l(n));
    }

    /** out (BF16) = round-to-nearest-even(x) over n values. */
    public static Launch f32ToBf16(long x, long out, long n) {
        return elementwise("f32_to_bf16", n, p(x), p(out), l(n));
    }

    /** out (float) = widen(x (BF16)) over n values. */
    public static Launch bf16ToF32(long x, long out, long n) {
        return elementwise("bf16_to_f32", n, p(x), p(out), l(n));
    }

    /** out[i,:] = x[rowIds[i],:], float rows of dim. */
    public static Launch gatherRows(long x, long rowIds, long out, int n, int dim) {
        return rowKernel("gather_rows", n, ROW_THREADS, p(x), p(rowIds), p(out), i(n), i(dim));
    }

    /** out[r] = logsumexp(logits[r,:]). */
    public static Launch rowLogsumexp(long logits, long out, int rows, int vocab) {
        return rowKernel("row_logsumexp", rows, LSE_THREADS, p(logits), p(out), i(rows), i(vocab));
    }

    /** out[2i] = max, out[2i+1] = log(sum(exp(x - max))) of row rowIds[i] of logits [*, vocab]. */
    public static Launch rowNormalizers(long logits, long rowIds, long out, int n, int vocab) {
        return rowKernel("row_normalizers", n, LSE_THREADS, p(logits), p(rowIds), p(out), i(n), i(vocab));
    }

    /** out[i] = logits[rowOf[i]*vocab + tokens[i]]. */
    public static Launch gatherLogits(long logits, long rowOf, long tokens, long out,
                                      int n, int vocab) {
        return elementwise("gather_logits", n, p(logits), p(rowOf), p(tokens), p(out), i(n), i(vocab));
    }

    /** The k largest logits[r,:] - lse[r] of each row, descending, ties to the lower id; out [rows, k]. */
    public static Launch topkRows(long logits, long lse, long outVals, long outIds,
                                  int rows, int vocab, int k) {
        if (k < 1 || k > TOPK_MAX || k > vocab)
            throw new IllegalArgumentException("topk_rows: k must be in 1.." + Math.min(TOPK_MAX, vocab) + ": " + k);
        return rowKernel("topk_rows", rows, TOPK_THREADS, p(logits), p(lse), p(outVals), p(outIds), i(rows),
                i(vocab), i(k));
    }
}
