package org.longbel.decoding;

/**
 * The sampling warpers of Hugging Face, applied in this order: temperature, top-k, top-p.
 *
 * @param temperature divides the processed scores (1 = off); applied as a float32 division
 * @param topK        keep the {@code max(topK, minTokensToKeep)} best scores and all ties (0 = off)
 * @param topP        nucleus mass (1 = off); tokens whose upper tail mass is {@code <= (float) (1 - topP)} go
 * @param seed        seed of the random generator (reproducible runs)
 */
public record SamplingSettings(double temperature, int topK, double topP, long seed) {

    /** Hugging Face's defaults: temperature 1, top-k 50, top-p 1. */
    public static final SamplingSettings HF_DEFAULT = new SamplingSettings(1.0, 50, 1.0, 0L);

    public SamplingSettings {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a positive number, got " + temperature);
        }
        if (topK < 0) throw new IllegalArgumentException("top_k must be >= 0, got " + topK);
        if (!(topP >= 0 && topP <= 1)) throw new IllegalArgumentException("top_p must be in [0, 1], got " + topP);
    }

    /** A copy with another seed. */
    public SamplingSettings withSeed(long newSeed) {
        return new SamplingSettings(temperature, topK, topP, newSeed);
    }
}
