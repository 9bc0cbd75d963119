package org.longbel.linker;

import org.longbel.core.CausalLM;
import org.longbel.core.KvCache;
import org.longbel.decoding.Constraint;
import org.longbel.decoding.Decoding;
import org.longbel.decoding.DecodingResult;
import org.longbel.decoding.DecodingSearch;
import org.longbel.decoding.DecodingSettings;
import org.longbel.decoding.GenerationConfig;
import org.longbel.decoding.Generator;
import org.longbel.decoding.SpecialIds;

/**
 * A {@link MentionDecoder} over a {@link CausalLM}: a fresh search per mention (beam search, beam
 * sampling or greedy, from the checkpoint's generation config and the sample options) driven by a
 * {@link Generator} over a KV cache that lives as long as this decoder. One instance per page in
 * flight (the cache is not shared across threads); the model is shared.
 */
final class ModelDecoder implements MentionDecoder, AutoCloseable {
    private final CausalLM model;
    private final GenerationConfig generation;
    private final SpecialIds ids;
    private final SampleOptions options;
    private final KvCache cache;

    ModelDecoder(CausalLM model, GenerationConfig generation, SpecialIds ids, SampleOptions options, int blockSize,
                 long cacheBytes) {
        this.model = model;
        this.generation = generation;
        this.ids = ids;
        this.options = options;
        this.cache = model.newCache(blockSize, cacheBytes);
    }

    /** The settings a mention with this seed decodes with ({@code ids}: the checkpoint's, from {@link SpecialIds#resolve}). */
    static DecodingSettings settings(GenerationConfig generation, SpecialIds ids, SampleOptions options, long seed) {
        return generation.longBelSettings(ids, options.numBeams(), options.deterministic(), seed)
                .withMaxNewTokens(options.maxNewTokens());
    }

    /** A fresh search for one mention's prompt: the mode, beams and ids the checkpoint and the options give. */
    static DecodingSearch newSearch(CausalLM model, GenerationConfig generation, SpecialIds ids, SampleOptions options,
                                    int[] promptIds, Constraint constraint, long seed) {
        return Decoding.newSearch(promptIds, model.config().vocabSize(), constraint, settings(generation, ids, options, seed));
    }

    @Override
    public DecodingResult decode(int[] promptIds, Constraint constraint, long seed, CancellationToken cancel) {
        DecodingSearch search = newSearch(model, generation, ids, options, promptIds, constraint, seed);
        return new Generator(model, cache).run(promptIds, new CancellableSearch(search, cancel));
    }

    @Override
    public int maxPositions() {
        return model.config().maxPositions();
    }

    @Override
    public void close() {
        cache.close();
    }
}
