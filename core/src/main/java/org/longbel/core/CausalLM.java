package org.longbel.core;

/**
 * A causal language model that extends cached sequences and returns next-token logits.
 * Implemented by {@link LlamaModel}; decoding and linking depend only on this.
 */
public interface CausalLM extends AutoCloseable {

    /** The validated configuration of the model (vocabulary size, layers, eos ids...). */
    ModelConfig config();

    /** A KV cache sized for this model with the given block size (tokens) and byte budget. */
    KvCache newCache(int blockSize, long budgetBytes);

    /**
     * One batched forward. For every i, appends {@code tokens[i]} to sequence {@code seqs[i]} of
     * {@code cache} (positions continue from {@code cache.length(seqs[i])}), and returns the raw float32
     * logits (length {@code config().vocabSize()}) at each index of {@code logitIndices[i]} (indices into
     * {@code tokens[i]}, ascending; usually just the last). Result: {@code [i][j][vocab]}.
     * A sequence may receive several tokens (prefill of a suffix) or one (decode); the same sequence
     * must not appear twice in one call. Each row's numbers do not depend on the other rows.
     */
    float[][][] forward(KvCache cache, int[] seqs, int[][] tokens, int[][] logitIndices);

    @Override
    void close();
}
