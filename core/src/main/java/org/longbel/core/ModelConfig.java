package org.longbel.core;

/**
 * The parts of a Hugging Face Llama {@code config.json} the engine uses, validated.
 * Parsing and validation live in {@link ModelConfigReader}.
 *
 * @param modelType          {@code llama} or {@code llama_longbel}
 * @param hiddenSize         model width
 * @param intermediateSize   MLP width
 * @param numLayers          decoder layers
 * @param numHeads           query heads
 * @param numKvHeads         key/value heads (GQA: numHeads is a multiple)
 * @param headDim            explicit {@code head_dim} or hiddenSize / numHeads
 * @param vocabSize          {@code vocab_size} as written (128257 for LongBEL-1B)
 * @param rmsNormEps         {@code rms_norm_eps}
 * @param maxPositions       {@code max_position_embeddings}
 * @param rope               rotary settings (theta and optional llama3 scaling)
 * @param tieWordEmbeddings  when true the LM head is the embedding matrix (no {@code lm_head.weight})
 * @param bosTokenId         {@code bos_token_id}, -1 if absent
 * @param eosTokenIds        {@code eos_token_id} as a list (an int becomes a list of one)
 */
public record ModelConfig(
        String modelType,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int vocabSize,
        float rmsNormEps,
        int maxPositions,
        RopeConfig rope,
        boolean tieWordEmbeddings,
        int bosTokenId,
        int[] eosTokenIds) {

    /** Width of one token's keys (or values) in one layer: numKvHeads * headDim. */
    public int kvDim() { return numKvHeads * headDim; }

    /** Width of one token's queries: numHeads * headDim. */
    public int qDim() { return numHeads * headDim; }

    /**
     * Rotary position embedding settings.
     *
     * @param theta                 {@code rope_theta}
     * @param type                  {@code default} (no scaling) or {@code llama3}
     * @param factor                llama3 {@code factor}
     * @param lowFreqFactor         llama3 {@code low_freq_factor}
     * @param highFreqFactor        llama3 {@code high_freq_factor}
     * @param originalMaxPositions  llama3 {@code original_max_position_embeddings}
     */
    public record RopeConfig(double theta, String type, double factor, double lowFreqFactor,
                             double highFreqFactor, int originalMaxPositions) {
        /** Plain rotary embeddings with base {@code theta} and no {@code rope_scaling}. */
        public static RopeConfig unscaled(double theta) {
            return new RopeConfig(theta, "default", 1, 1, 1, 0);
        }

        /** Whether the llama3 frequency scaling applies. */
        public boolean isLlama3() { return "llama3".equals(type); }
    }
}
