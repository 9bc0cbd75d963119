package org.longbel.decoding;

/**
 * The little kept from one step for the wrapper-compatible {@code score}: for every running slot,
 * the log-softmax of its processed row at each of the step's candidate tokens. Every token of a
 * returned sequence was a candidate of its step, so this is all the wrapper's per-slot lookup reads;
 * whole vocabulary rows are never stored.
 */
final class StepRecord {

    private final int[] candidateTokens;
    private final float[][] renormalised; // [slot][candidate]

    StepRecord(int[] candidateTokens, float[][] renormalised) {
        this.candidateTokens = candidateTokens;
        this.renormalised = renormalised;
    }

    /** {@code log_softmax(processed row of slot)[token]}; the token must be one of this step's candidates. */
    float renormalised(int slot, int token) {
        for (int j = 0; j < candidateTokens.length; j++) {
            if (candidateTokens[j] == token) return renormalised[slot][j];
        }
        throw new IllegalStateException("token " + token + " was not a candidate of this step");
    }
}
