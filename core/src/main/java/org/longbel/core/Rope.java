package org.longbel.core;

/**
 * Rotary inverse frequencies exactly as Hugging Face computes them at model init (float32, in the order of
 * {@code _compute_default_rope_parameters} and {@code _compute_llama3_parameters}; see
 * {@code hf-beam-search.md} §5). Only {@code pow} differs: it is computed in double and rounded to float,
 * within one ulp of PyTorch's.
 */
public final class Rope {

    private final float[] invFreq;

    private Rope(float[] invFreq) {
        this.invFreq = invFreq;
    }

    /** The frequencies for a model's head dimension and rope settings. */
    public static Rope of(ModelConfig.RopeConfig rope, int headDim) {
        if (headDim % 2 != 0) throw new IllegalArgumentException("head_dim must be even for rotary embeddings, got " + headDim);
        float[] inv = new float[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            float exponent = (float) (2 * i) / (float) headDim;
            float pow = (float) Math.pow(rope.theta(), exponent);
            inv[i] = 1f / pow;
        }
        if (rope.isLlama3()) applyLlama3Scaling(inv, rope);
        return new Rope(inv);
    }

    /**
     * Llama 3 scaling: long wavelengths divided by {@code factor}, short ones kept, the band between
     * interpolated smoothly. Each line is one float32 torch operation.
     */
    private static void applyLlama3Scaling(float[] inv, ModelConfig.RopeConfig rope) {
        float factor = (float) rope.factor();
        float low = (float) rope.lowFreqFactor();
        float original = (float) rope.originalMaxPositions();
        float lowFreqWavelen = (float) (rope.originalMaxPositions() / rope.lowFreqFactor());
        float highFreqWavelen = (float) (rope.originalMaxPositions() / rope.highFreqFactor());
        float highMinusLow = (float) (rope.highFreqFactor() - rope.lowFreqFactor());
        float twoPi = (float) (2 * Math.PI);
        for (int i = 0; i < inv.length; i++) {
            float wavelen = (1f / inv[i]) * twoPi;
            float scaled = wavelen > lowFreqWavelen ? inv[i] / factor : inv[i];
            boolean medium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
            if (medium) {
                float smooth = ((1f / wavelen) * original - low) / highMinusLow;
                scaled = ((1f - smooth) * scaled) / factor + smooth * scaled;
            }
            inv[i] = scaled;
        }
    }

    /** The {@code head_dim / 2} inverse frequencies (a copy). */
    public float[] inverseFrequencies() {
        return invFreq.clone();
    }
}
