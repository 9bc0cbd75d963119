package org.longbel.core.backend;

import org.longbel.core.Tensor;
import org.longbel.core.kv.PagedKvCache;

/**
 * The operations of a Llama forward, so that the model code does not know which device runs them.
 *
 * <p>Activations are float32, row-major {@code [rows, width]} arrays; one row per token of the batch.
 * Weights are checkpoint {@link Tensor}s read in place (BF16, F16 or F32, widened inside the kernels);
 * a Linear weight is {@code [out, in]}. Every result element depends only on the inputs of its own row.
 */
public interface Backend extends AutoCloseable {

    /** {@code out[r] = table[ids[r]]} widened to float32; {@code out} is {@code [ids.length, table.cols()]}. */
    void embed(Tensor table, int[] ids, float[] out);

    /**
     * RMSNorm as Hugging Face computes it: {@code out[r] = x[r] * rsqrt(mean(x[r]^2) + eps) * weight}.
     * {@code out} may be {@code x}.
     */
    void rmsNorm(float[] x, int rows, Tensor weight, float eps, float[] out);

    /** {@code out[rows, w.rows()] = x[rows, w.cols()] · wᵀ}, float32 accumulation. */
    void matmul(float[] x, int rows, Tensor w, float[] out);

    /**
     * Rotates {@code x[rows, heads * headDim]} in place by the precomputed {@code angles} of each row
     * (Hugging Face's half-split layout: element i pairs with element i + headDim/2).
     */
    void rope(float[] x, int rows, int heads, int headDim, RopeAngles angles);

    /** Stores the keys and values {@code [rows, kvDim]} of {@code layer} at ({@code seqs[r]}, {@code positions[r]}). */
    void writeKv(PagedKvCache cache, int layer, int[] seqs, int[] positions, float[] k, float[] v);

    /**
     * Causal attention over the cache: query row r of sequence {@code seqs[r]} at {@code positions[r]} attends
     * to that sequence's cached positions {@code 0..positions[r]}; query head h reads kv head
     * {@code h / (heads / kvHeads)}. Scores are scaled by {@code headDim^-0.5}; softmax in float32.
     * {@code q} and {@code out} are {@code [rows, heads * headDim]}.
     */
    void attention(float[] q, int rows, int[] seqs, int[] positions, PagedKvCache cache, int layer,
                   int heads, int kvHeads, int headDim, float[] out);

    /** {@code gate[i] = silu(gate[i]) * up[i]} for the first {@code n} elements. */
    void siluMul(float[] gate, float[] up, int n);

    /** {@code x[i] += y[i]} for the first {@code n} elements. */
    void add(float[] x, float[] y, int n);

    /**
     * Logits of selected rows: {@code out[i] = x[rows[i]] · lmHeadᵀ} for a normalised hidden state
     * {@code x[*, lmHead.cols()]}; {@code out} is {@code [rows.length, lmHead.rows()]}.
     */
    void logits(float[] x, int[] rows, Tensor lmHead, float[] out);

    /** Releases the backend's threads (and, for a device backend, its memory). */
    @Override
    void close();
}
