package org.longbel.decoding;

import org.longbel.core.LogitRow;

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
     * Which tokens of each row the next {@link #step} needs, in the order of {@link #slotsNeedingLogits()}:
     * per row, the ascending distinct token ids whose logits (with the whole row's normaliser, see
     * {@link LogitRow#select}) are enough, or null where the whole row is needed. A deterministic search under a
     * constraint that allows a few tokens asks for those; sampling, or a constraint that allows everything,
     * asks for the whole row. The default asks for whole rows. A row may always come back whole instead.
     */
    default int[][] wantedIds() {
        return new int[slotsNeedingLogits().length][];
    }

    /**
     * Consumes the logits rows of the slots {@link #slotsNeedingLogits()} named (same order), each the whole
     * raw float32 row or the selection {@link #wantedIds()} asked for, and returns the new running slots: slot i
     * continues old slot {@code parents()[i]} with {@code tokens()[i]}. After the last step ({@link #isDone()}
     * true) the selection need not be applied. A selected row that does not hold exactly the ids the search
     * needs is refused ({@link IllegalStateException}).
     */
    Selection step(LogitRow[] rows);

    /** {@link #step(LogitRow[])} with whole raw float32 rows. */
    default Selection step(float[][] logits) {
        LogitRow[] rows = new LogitRow[logits.length];
        for (int i = 0; i < logits.length; i++) rows[i] = LogitRow.dense(logits[i]);
        return step(rows);
    }

    /** True when the search has finished. */
    boolean isDone();

    /** The result; only when {@link #isDone()}. */
    DecodingResult result();
}
