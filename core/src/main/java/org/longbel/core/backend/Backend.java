package org.longbel.core.backend;

import org.longbel.core.LogitRow;
import org.longbel.core.Tensor;
import org.longbel.core.kv.KvBatch;
import org.longbel.core.kv.KvLayout;
import org.longbel.core.kv.KvStorage;

/**
 * The operations of a Llama forward, so that the model code does not know which device runs them.
 *
 * <p>The backend owns the memory the operations touch: activations are {@link ActivationBuffer}s it allocates
 * (float32, row-major {@code [rows, width]}, one row per token of the batch), weights are {@link Weight}s it made
 * once from the checkpoint's tensors (BF16, F16 or F32; a Linear weight is {@code [out, in]}), and the KV cache's
 * blocks live in a {@link KvStorage} it made. Host arrays cross the boundary only through {@link #upload} and
 * {@link #download}, and the small per-forward int arrays (token ids, positions, block tables) as arguments.
 * Every result element depends only on the inputs of its own row.
 *
 * <p>Implementations: {@link CpuBackend}; a CUDA backend in the {@code cuda-kernels} module. {@link Backends#open}
 * chooses one.
 */
public interface Backend extends AutoCloseable {

    /** What runs the operations, for the log, e.g. "CPU, 16 threads (Vector API, 16 float lanes)". */
    String description();

    /**
     * Whether forwards of several threads may call this backend at the same time (the CPU's worker pool: yes; a
     * GPU stream: no, the model then runs them one after the other).
     */
    default boolean concurrentForwards() { return true; }

    /**
     * A KV-cache budget that suits this backend when the caller sets none: 2 GiB of host memory on the CPU; most
     * of the memory left free after the weights on a GPU.
     */
    default long suggestedKvCacheBytes() { return 2L << 30; }

    /** A buffer of {@code floats} float32 values (contents undefined until written). */
    ActivationBuffer allocate(int floats);

    /** Copies {@code src[0 .. n)} into the start of {@code dst}. */
    void upload(float[] src, int n, ActivationBuffer dst);

    /** Copies {@code n} floats of {@code src} from float offset {@code offset} into {@code dst[0 .. n)}. */
    void download(ActivationBuffer src, long offset, int n, float[] dst);

    /** The backend's form of a checkpoint tensor; a device backend uploads it the first time it is asked for it. */
    Weight weight(Tensor tensor);

    /** Memory for up to {@code capacity} KV blocks of {@code layout} (a cache's storage). */
    KvStorage newKvStorage(KvLayout layout, int capacity);

    /** {@code out[r] = table[ids[r]]} widened to float32; {@code out} is {@code [ids.length, table.cols()]}. */
    void embed(Weight table, int[] ids, ActivationBuffer out);

    /**
     * RMSNorm as Hugging Face computes it: {@code out[r] = x[r] * rsqrt(mean(x[r]^2) + eps) * weight}.
     * {@code out} may be {@code x}.
     */
    void rmsNorm(ActivationBuffer x, int rows, Weight weight, float eps, ActivationBuffer out);

    /** {@code out[rows, w.rows()] = x[rows, w.cols()] · wᵀ}, float32 accumulation. */
    void matmul(ActivationBuffer x, int rows, Weight w, ActivationBuffer out);

    /**
     * Rotates {@code x[rows, heads * headDim]} in place by the precomputed {@code angles} of each row
     * (Hugging Face's half-split layout: element i pairs with element i + headDim/2).
     */
    void rope(ActivationBuffer x, int rows, int heads, int headDim, RopeAngles angles);

    /** Stores the keys and values {@code [rows, kvDim]} of {@code layer} at each row's position of {@code batch}. */
    void writeKv(KvStorage kv, KvBatch batch, int layer, ActivationBuffer k, ActivationBuffer v);

    /**
     * Causal attention over the cache: query row r of {@code batch} at position p attends to its sequence's
     * cached positions {@code 0..p}; query head h reads kv head {@code h / (heads / kvHeads)}. Scores are scaled
     * by {@code headDim^-0.5}; softmax in float32. {@code q} and {@code out} are {@code [rows, heads * headDim]}.
     */
    void attention(ActivationBuffer q, KvStorage kv, KvBatch batch, int layer, int heads, int kvHeads, int headDim,
                   ActivationBuffer out);

    /** {@code gate[i] = silu(gate[i]) * up[i]} for the first {@code n} elements. */
    void siluMul(ActivationBuffer gate, ActivationBuffer up, int n);

    /** {@code x[i] += y[i]} for the first {@code n} elements. */
    void add(ActivationBuffer x, ActivationBuffer y, int n);

    /**
     * Logits of selected rows: {@code out[i] = x[rows[i]] · lmHeadᵀ} for a normalised hidden state
     * {@code x[*, lmHead.cols()]}; {@code out} is {@code [rows.length, lmHead.rows()]}.
     */
    void logits(ActivationBuffer x, int[] rows, Weight lmHead, ActivationBuffer out);

    /**
     * Reads the LM head's output {@code logits [rows, vocab]}: row r whole when {@code select[r]} is null, else only
     * the tokens {@code select[r]} (ascending, distinct) with the row's log-softmax normaliser. This default copies
     * every row back and selects on the host; a device backend selects where the rows are.
     */
    default LogitRow[] readLogits(ActivationBuffer logits, int rows, int vocab, int[][] select) {
        float[] all = new float[rows * vocab];
        download(logits, 0, all.length, all);
        return LogitRow.of(all, rows, vocab, select);
    }

    /** Releases the backend's threads (and, for a device backend, its memory). */
    @Override
    void close();
}
