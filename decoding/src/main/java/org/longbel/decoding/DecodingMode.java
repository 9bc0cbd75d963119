package org.longbel.decoding;

/** Which Hugging Face generation mode runs (reported with every result). */
public enum DecodingMode {
    /** {@code num_beams > 1}, {@code do_sample=False}: deterministic beam search. */
    BEAM_SEARCH,
    /** {@code num_beams > 1}, {@code do_sample=True}: beam sampling (temperature, top-k, top-p). */
    BEAM_SAMPLE,
    /** {@code num_beams = 1}, {@code do_sample=False}: greedy search. */
    GREEDY,
    /** {@code num_beams = 1}, {@code do_sample=True}: plain sampling. */
    SAMPLE;

    /** Hugging Face's choice ({@code GenerationConfig.get_generation_mode}). */
    public static DecodingMode of(int numBeams, boolean doSample) {
        if (numBeams > 1) return doSample ? BEAM_SAMPLE : BEAM_SEARCH;
        return doSample ? SAMPLE : GREEDY;
    }

    /** True for the modes that draw at random. */
    public boolean isSampling() {
        return this == BEAM_SAMPLE || this == SAMPLE;
    }
}
