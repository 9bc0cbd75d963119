package org.longbel.decoding;

import java.util.Arrays;

/**
 * Everything a search needs besides the prompt and the constraint.
 *
 * @param numBeams          K (1 = greedy or plain sampling)
 * @param numReturn         N returned hypotheses, 1 <= N <= K
 * @param eosIds            the eos ids passed to {@code generate} (the LongBEL wrapper passes {@code <|eot_id|>} alone);
 *                          their count fixes KEEP = max(2, 1 + n_eos) * K
 * @param padId             pad id ({@code pad_token_id}, or eosIds[0] when unset)
 * @param bosId             bos id, left out of the {@code score} mean like eos and pad (-1 if none)
 * @param maxNewTokens      maximum generated tokens (128 in LongBEL)
 * @param earlyStopping     Hugging Face's {@code early_stopping}
 * @param lengthPenalty     exponent of the length normalisation (1.0)
 * @param mode              the generation mode
 * @param sampling          the warpers and seed (used in the sampling modes only)
 */
public record DecodingSettings(int numBeams, int numReturn, int[] eosIds, int padId, int bosId,
                               int maxNewTokens, EarlyStopping earlyStopping, double lengthPenalty,
                               DecodingMode mode, SamplingSettings sampling) {

    public DecodingSettings {
        if (numBeams < 1) throw new IllegalArgumentException("num_beams must be >= 1, got " + numBeams);
        if (numReturn < 1 || numReturn > numBeams) {
            throw new IllegalArgumentException("num_return_sequences must be in [1, num_beams=" + numBeams
                    + "], got " + numReturn);
        }
        if (eosIds == null || eosIds.length == 0) throw new IllegalArgumentException("at least one eos id is needed");
        if (maxNewTokens < 1) throw new IllegalArgumentException("max_new_tokens must be >= 1, got " + maxNewTokens);
        if (mode == null || earlyStopping == null || sampling == null) throw new IllegalArgumentException("null setting");
        if ((numBeams > 1) != (mode == DecodingMode.BEAM_SEARCH || mode == DecodingMode.BEAM_SAMPLE)) {
            throw new IllegalArgumentException("mode " + mode + " does not fit num_beams=" + numBeams);
        }
        eosIds = eosIds.clone();
    }

    /**
     * What the LongBEL wrapper runs: K beams, K returned, the single eos and the pad and bos of
     * {@code ids}, 128 new tokens, Hugging Face's defaults otherwise.
     */
    public static DecodingSettings longBel(SpecialIds ids, int numBeams, DecodingMode mode, SamplingSettings sampling) {
        return new DecodingSettings(numBeams, numBeams, new int[] {ids.eos()}, ids.pad(), ids.bos(), 128,
                EarlyStopping.FALSE, 1.0, mode, sampling);
    }

    /** Deterministic LongBEL beam search (greedy when K = 1) with the ids of {@code ids}. */
    public static DecodingSettings longBelBeamSearch(SpecialIds ids, int numBeams) {
        return longBel(ids, numBeams, DecodingMode.of(numBeams, false), SamplingSettings.HF_DEFAULT);
    }

    /** The eos ids (a copy). */
    @Override
    public int[] eosIds() {
        return eosIds.clone();
    }

    /** KEEP = max(2, 1 + n_eos) * K candidates per step. */
    public int keep() {
        return Math.max(2, 1 + eosIds.length) * numBeams;
    }

    /** Tokens always kept by top-k/top-p: n_eos + 1 with beams, 1 without. */
    public int minTokensToKeep() {
        return numBeams > 1 ? eosIds.length + 1 : 1;
    }

    /** Whether {@code token} is one of the eos ids passed. */
    public boolean isEos(int token) {
        for (int e : eosIds) if (e == token) return true;
        return false;
    }

    /** eos, pad and bos are left out of the {@code score} mean. */
    public boolean isSpecial(int token) {
        return token == padId || token == bosId || isEos(token);
    }

    /** A copy with another {@code max_new_tokens}. */
    public DecodingSettings withMaxNewTokens(int n) {
        return new DecodingSettings(numBeams, numReturn, eosIds, padId, bosId, n, earlyStopping, lengthPenalty, mode, sampling);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecodingSettings d && numBeams == d.numBeams && numReturn == d.numReturn
                && Arrays.equals(eosIds, d.eosIds) && padId == d.padId && bosId == d.bosId
                && maxNewTokens == d.maxNewTokens && earlyStopping == d.earlyStopping
                && lengthPenalty == d.lengthPenalty && mode == d.mode && sampling.equals(d.sampling);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(eosIds) * 31 + java.util.Objects.hash(numBeams, numReturn, padId, bosId,
                maxNewTokens, earlyStopping, lengthPenalty, mode, sampling);
    }

    @Override
    public String toString() {
        return "DecodingSettings[numBeams=" + numBeams + ", numReturn=" + numReturn + ", eosIds="
                + Arrays.toString(eosIds) + ", padId=" + padId + ", bosId=" + bosId + ", maxNewTokens="
                + maxNewTokens + ", earlyStopping=" + earlyStopping + ", lengthPenalty=" + lengthPenalty
                + ", mode=" + mode + ", sampling=" + sampling + "]";
    }
}
