package org.longbel.linker;

/**
 * Options of one {@link LongBel#sample} call.
 *
 * @param numBeams        beams (and returned ranks) per mention; 1 = greedy
 * @param constrained     decode under the group's trie (the reference's default)
 * @param multipleAnswers allow {@code <+>}-separated multiple names (SPACCC)
 * @param referenceCompat reproduce the wrapper's text parse and {@code score} (reference spec §6)
 * @param deterministic   force deterministic beam search even if {@code generation_config.json}
 *                        says {@code do_sample: true}
 * @param seed            seed of beam sampling (ignored when deterministic); each mention uses
 *                        {@code seed} mixed with its mention id, so results do not depend on threads
 * @param maxNewTokens    maximum generated tokens (128 in the reference)
 * @param saliency        also compute each mention's gradient saliency map for its top beam
 *                        ({@link MentionResult#saliency()}, reference spec §7)
 */
public record SampleOptions(int numBeams, boolean constrained, boolean multipleAnswers, boolean referenceCompat,
                            boolean deterministic, long seed, int maxNewTokens, boolean saliency) {

    /** Options without saliency maps. */
    public SampleOptions(int numBeams, boolean constrained, boolean multipleAnswers, boolean referenceCompat,
                         boolean deterministic, long seed, int maxNewTokens) {
        this(numBeams, constrained, multipleAnswers, referenceCompat, deterministic, seed, maxNewTokens, false);
    }

    public SampleOptions {
        if (numBeams < 1) throw new IllegalArgumentException("beams must be >= 1, got " + numBeams);
        if (maxNewTokens < 1) throw new IllegalArgumentException("max new tokens must be >= 1, got " + maxNewTokens);
    }

    /** The reference's defaults: 5 beams, constrained, single answers, checkpoint's sampling mode, seed 0. */
    public static SampleOptions defaults() {
        return new SampleOptions(5, true, false, false, false, 0L, 128, false);
    }

    /** A copy with {@code n} beams. */
    public SampleOptions withNumBeams(int n) {
        return new SampleOptions(n, constrained, multipleAnswers, referenceCompat, deterministic, seed, maxNewTokens, saliency);
    }

    /** A copy with or without the trie constraint. */
    public SampleOptions withConstrained(boolean c) {
        return new SampleOptions(numBeams, c, multipleAnswers, referenceCompat, deterministic, seed, maxNewTokens, saliency);
    }

    /** A copy with or without multiple answers. */
    public SampleOptions withMultipleAnswers(boolean m) {
        return new SampleOptions(numBeams, constrained, m, referenceCompat, deterministic, seed, maxNewTokens, saliency);
    }

    /** A copy with or without the wrapper's parse and score. */
    public SampleOptions withReferenceCompat(boolean r) {
        return new SampleOptions(numBeams, constrained, multipleAnswers, r, deterministic, seed, maxNewTokens, saliency);
    }

    /** A copy forcing (or not) deterministic beam search. */
    public SampleOptions withDeterministic(boolean d) {
        return new SampleOptions(numBeams, constrained, multipleAnswers, referenceCompat, d, seed, maxNewTokens, saliency);
    }

    /** A copy generating at most {@code n} new tokens per mention. */
    public SampleOptions withMaxNewTokens(int n) {
        return new SampleOptions(numBeams, constrained, multipleAnswers, referenceCompat, deterministic, seed, n, saliency);
    }

    /** A copy with another sampling seed. */
    public SampleOptions withSeed(long s) {
        return new SampleOptions(numBeams, constrained, multipleAnswers, referenceCompat, deterministic, s, maxNewTokens, saliency);
    }

    /** A copy with or without saliency maps (reference spec §7): each mention's top beam gets a {@link SaliencyMap}. */
    public SampleOptions withSaliency(boolean s) {
        return new SampleOptions(numBeams, constrained, multipleAnswers, referenceCompat, deterministic, seed, maxNewTokens, s);
    }
}
