package org.longbel.decoding;

/** Creates the search that fits the settings: beam search or beam sampling for K > 1, greedy or sampling for K = 1. */
public final class Decoding {

    private Decoding() {}

    /**
     * @param prompt     prompt ids, BOS included
     * @param vocabSize  the model's {@code vocab_size}
     * @param constraint allowed next tokens ({@link Unconstrained#INSTANCE} for none)
     * @param settings   the decoding settings
     */
    public static DecodingSearch newSearch(int[] prompt, int vocabSize, Constraint constraint, DecodingSettings settings) {
        return settings.numBeams() > 1
                ? new BeamSearch(prompt, vocabSize, constraint, settings)
                : new GreedySearch(prompt, vocabSize, constraint, settings);
    }
}
