package org.longbel.decoding;

/**
 * A search for one mention, driven step by step without a model: ask {@link #slotsNeedingLogits()},
 * compute those rows' next-token logits, pass them to {@link #step}, then extend the KV sequences as
 * the returned {@link Selection} says. Repeat until {@link #isDone()}; then read {@link #result()}.
 */
public interface DecodingSearch {

    /** Number of running slots (K; 1 for greedy). */
    int numSlots();

    /**
     * The running slots whose raw logits the next {@link #step} needs, ascending. At the first step
     * every slot is a copy of the prompt, so only slot 0 is asked for. Empty once done.
     */
    int[] slotsNeedingLogits();

    /**
     * Consumes the raw float32 logits of the slots {@link #slotsNeedingLogits()} named (same order),
     * and returns the new running slots: slot i continues old slot {@code parents()[i]} with
     * {@code tokens()[i]}. After the last step ({@link #isDone()} true) the selection need not be applied.
     */
    Selection step(float[][] logits);

    /** True when the search has finished. */
    boolean isDone();

    /** The result; only when {@link #isDone()}. */
    DecodingResult result();
}
