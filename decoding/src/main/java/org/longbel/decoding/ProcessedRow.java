package org.longbel.decoding;

import java.util.Arrays;
import org.longbel.core.LogSoftmax;

/**
 * One running slot's processed scores at one step: the row Hugging Face's logits processors hand to
 * the selection (log-softmax, then the constraint's {@code -inf} mask, then the sampling warpers).
 * Either dense (every token finite, deterministic modes only: {@code value(t) = shift.apply(raw[t])})
 * or sparse (only the listed tokens are finite, sorted by token id). Also carries
 * {@link #renormalised}: the log-softmax of this processed row itself, which the {@code score}
 * fields use.
 */
final class ProcessedRow {

    private final float[] raw;              // dense only
    private final LogSoftmax.Normalizer shift; // dense only: value = shift.apply(raw)
    private final int[] tokens;             // sparse only, ascending
    private final float[] values;           // sparse only
    private final LogSoftmax.Normalizer renormaliser;

    private ProcessedRow(float[] raw, LogSoftmax.Normalizer shift, int[] tokens, float[] values,
                         LogSoftmax.Normalizer renormaliser) {
        this.raw = raw;
        this.shift = shift;
        this.tokens = tokens;
        this.values = values;
        this.renormaliser = renormaliser;
    }

    /** A dense row: {@code value(t) = shift.apply(raw[t])} (the raw row is kept, not copied). */
    static ProcessedRow dense(float[] raw, LogSoftmax.Normalizer shift, LogSoftmax.Normalizer renormaliser) {
        return new ProcessedRow(raw, shift, null, null, renormaliser);
    }

    /** A sparse row over {@code tokens[0, n)}, strictly ascending, with their values (copied). */
    static ProcessedRow sparse(int[] tokens, float[] values, int n) {
        for (int i = 1; i < n; i++) {
            if (tokens[i] <= tokens[i - 1]) throw new IllegalArgumentException("tokens not strictly ascending at " + i);
        }
        int[] t = Arrays.copyOf(tokens, n);
        float[] v = Arrays.copyOf(values, n);
        return new ProcessedRow(null, null, t, v, LogSoftmax.normalizerOf(v, n));
    }

    boolean isDense() {
        return raw != null;
    }

    LogSoftmax.Normalizer shift() {
        return shift;
    }

    float[] raw() {
        return raw;
    }

    /** The processed value of token {@code t} ({@code -inf} where masked or filtered). */
    float value(int t) {
        if (raw != null) return shift.apply(raw[t]);
        int i = Arrays.binarySearch(tokens, t);
        return i >= 0 ? values[i] : Float.NEGATIVE_INFINITY;
    }

    /** Number of sparse entries (sparse rows only). */
    int size() {
        return tokens.length;
    }

    int token(int i) {
        return tokens[i];
    }

    float valueAt(int i) {
        return values[i];
    }

    /** {@code log_softmax(processed row)[t]}: {@code -inf} where the token is masked or filtered. */
    float renormalised(int t) {
        float v = value(t);
        return v == Float.NEGATIVE_INFINITY ? v : renormaliser.apply(v);
    }
}
