package org.longbel.core;

import java.util.Arrays;

/**
 * One row of next-token logits as a forward hands it back: either the whole vocabulary row ({@link #dense}), or,
 * when the caller said which tokens it can use (a trie constraint's children), only those tokens' raw logits with
 * the normaliser of the whole row's log-softmax ({@link #selected}). A constrained beam search needs no more, and a
 * device then sends back a few numbers per row instead of the vocabulary.
 *
 * @param dense      the whole raw row, or null
 * @param normalizer the log-softmax normaliser of the whole row (selected rows; null for dense ones)
 * @param ids        the requested token ids, ascending and distinct (selected rows)
 * @param values     their raw logits, in the order of {@code ids} (selected rows)
 */
public record LogitRow(float[] dense, LogSoftmax.Normalizer normalizer, int[] ids, float[] values) {

    /** A whole row. */
    public static LogitRow dense(float[] row) {
        return new LogitRow(row, null, null, null);
    }

    /** The tokens {@code ids} of a whole row, with the row's normaliser: what a device computes without the row. */
    public static LogitRow select(float[] row, int[] ids) {
        float[] values = new float[ids.length];
        for (int i = 0; i < ids.length; i++) values[i] = row[ids[i]];
        return new LogitRow(null, LogSoftmax.normalizer(row), ids, values);
    }

    public boolean isDense() { return dense != null; }

    /** Row {@code row} as asked: whole when {@code ids} is null, else {@link #select}ed. */
    public static LogitRow of(float[] row, int[] ids) {
        return ids == null ? dense(row) : select(row, ids);
    }

    /** The rows {@code r} of {@code all [rows, vocab]} as {@code select[r]} asks (each row copied out). */
    public static LogitRow[] of(float[] all, int rows, int vocab, int[][] select) {
        LogitRow[] out = new LogitRow[rows];
        for (int r = 0; r < rows; r++) out[r] = of(Arrays.copyOfRange(all, r * vocab, (r + 1) * vocab), select[r]);
        return out;
    }

    /**
     * Checks the selections of a {@code forwardSelected} call: one per logit row of each sequence, each null or a
     * valid request ({@link #checkRequest}); returns the number of logit rows.
     */
    public static int checkSelection(int[] seqs, int[][] logitIndices, int[][][] select, int vocab) {
        if (select.length != seqs.length) throw new IllegalArgumentException(seqs.length + " sequences but " + select.length + " selections");
        int rows = 0;
        for (int i = 0; i < select.length; i++) {
            if (select[i].length != logitIndices[i].length) {
                throw new IllegalArgumentException("sequence " + seqs[i] + ": " + logitIndices[i].length + " logit rows but "
                        + select[i].length + " selections");
            }
            for (int[] ids : select[i]) if (ids != null) checkRequest(ids, vocab);
            rows += select[i].length;
        }
        return rows;
    }

    /** Checks a request: token ids ascending, distinct and inside {@code [0, vocab)}; throws naming the first bad one. */
    public static void checkRequest(int[] ids, int vocab) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocab || (i > 0 && ids[i] <= ids[i - 1])) {
                throw new IllegalArgumentException("requested logit ids must be ascending, distinct and in [0, " + vocab + "): "
                        + Arrays.toString(Arrays.copyOf(ids, Math.min(ids.length, 16))) + (ids.length > 16 ? "..." : ""));
            }
        }
    }
}
