package org.longbel.decoding;

/**
 * One returned sequence (rank order is the list order in {@link DecodingResult}).
 *
 * @param tokens              generated ids: eos included; a dead beam that ran on after its eos keeps
 *                            those tokens too (Hugging Face measures length with {@code beam_indices})
 * @param sequencesScore      Hugging Face's {@code sequences_scores} (float32 sum of the processed
 *                            log-probs along the beam / length^length_penalty); about -1e9/L for a dead
 *                            beam, -1e9 for a never-filled placeholder, NaN for greedy and sampling
 * @param tokenLogprobs       processed log-prob of each token along the sequence's own history (full
 *                            vocabulary log-softmax, divided by T when sampling; raw logit for greedy)
 * @param renormalised        the same tokens' log-probs renormalised over the tokens the processed row
 *                            kept at that step ({@code -inf} where the token was masked)
 * @param compatTerms         the LongBEL wrapper's {@code score} terms: log-softmax of the processed row of
 *                            slot {@code rank} (not this sequence's history) at this sequence's token;
 *                            NaN where the token is eos, pad or bos (left out of the mean)
 * @param beamSlots           the running slot that produced each token
 * @param special             whether each token is eos, pad or bos (left out of both {@code score}s)
 */
public record Hypothesis(int[] tokens, float sequencesScore, float[] tokenLogprobs, float[] renormalised,
                         double[] compatTerms, int[] beamSlots, boolean[] special) {

    /** Generated length, eos included (0 for a placeholder). */
    public int length() {
        return tokens.length;
    }

    /** {@code exp(sequences_scores)}, the reference's {@code beam_score} (NaN for greedy). */
    public double beamScore() {
        return Math.exp(sequencesScore);
    }

    /**
     * True for a "dead" rank: a score near -1e9/L (printed beam_score 0.0), from the -1e9 arithmetic
     * of dead beams or an unfilled placeholder.
     */
    public boolean isDead() {
        return sequencesScore <= -1e8f;
    }

    /**
     * The corrected {@code score} (default output): exp of the mean renormalised log-prob along the
     * sequence's own history over tokens other than eos, pad and bos. Like the wrapper, the mean divides
     * by max(count, 1), so a sequence with no such token scores exp(0) = 1.
     */
    public double score() {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < tokens.length; i++) {
            if (special[i]) continue;
            sum += renormalised[i];
            n++;
        }
        return Math.exp(sum / Math.max(n, 1));
    }

    /**
     * The wrapper's {@code score} ({@code --reference-compat}): exp of the sum of the non-NaN compat
     * terms divided by max(count, 1); 0.0 when a term is {@code -inf}.
     */
    public double compatScore() {
        double sum = 0;
        int n = 0;
        for (double t : compatTerms) {
            if (Double.isNaN(t)) continue;
            sum += t;
            n++;
        }
        return Math.exp(sum / Math.max(n, 1));
    }
}
