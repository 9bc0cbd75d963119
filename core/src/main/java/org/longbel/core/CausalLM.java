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

    /**
     * {@link #forward}, where the caller may say which tokens it needs of each logit row: {@code select[i][j]} is the
     * ascending, distinct token ids wanted of row {@code logitIndices[i][j]}, or null for the whole row. A selected
     * row comes back as those tokens' raw logits and the whole row's log-softmax normaliser ({@link LogitRow}), so a
     * device backend copies back a few numbers instead of the vocabulary. This default computes the whole rows and
     * selects on the host; it gives exactly the numbers a caller would compute from {@link #forward}'s rows.
     */
    default LogitRow[][] forwardSelected(KvCache cache, int[] seqs, int[][] tokens, int[][] logitIndices, int[][][] select) {
        LogitRow.checkSelection(seqs, logitIndices, select, config().vocabSize());
        float[][][] rows = forward(cache, seqs, tokens, logitIndices);
        LogitRow[][] out = new LogitRow[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = new LogitRow[rows[i].length];
            for (int j = 0; j < rows[i].length; j++) out[i][j] = LogitRow.of(rows[i][j], select[i][j]);
        }
        return out;
    }

    /**
     * Gradient saliency (reference spec §7): the L2 norm, at every position of {@code ids}, of the gradient of
     * {@code sum over j >= promptLength, ids[j] not in excludedTargets, of log p(ids[j] | ids[0..j))} (log-softmax over
     * the full vocabulary) with respect to the input embedding vector of that position, with every key position
     * whose token is in {@code maskedKeys} hidden from attention. Runs a forward and a hand-written backward pass.
     *
     * @throws UnsupportedOperationException when the model has no backward pass
     */
    default double[] inputGradientNorms(int[] ids, int promptLength, int[] excludedTargets, int[] maskedKeys) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no backward pass for saliency maps");
    }

    @Override
    void close();
}
