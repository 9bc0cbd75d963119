package org.longbel.decoding;

import org.longbel.core.CausalLM;
import org.longbel.core.KvCache;

/**
 * Runs one {@link DecodingSearch} against a model: prefills the prompt once into one KV sequence
 * (every beam starts as a copy of it, sharing its blocks), then each step forwards one token per
 * running slot in a single batched call. After a step, new slot i forks the sequence of its parent
 * slot (the last slot continuing a parent takes the parent's sequence itself), and sequences no slot
 * continues are freed. Every sequence it creates is freed before it returns, also on failure.
 * Not thread-safe: one generator per thread (the model and cache must allow the concurrent use made of them).
 */
public final class Generator {

    private final CausalLM model;
    private final KvCache cache;

    /** A driver over {@code model}, keeping its sequences in {@code cache}. */
    public Generator(CausalLM model, KvCache cache) {
        this.model = model;
        this.cache = cache;
    }

    /** Runs {@code search} to the end for {@code prompt} (BOS included) and returns its result. */
    public DecodingResult run(int[] prompt, DecodingSearch search) {
        if (prompt.length == 0) throw new IllegalArgumentException("empty prompt");
        SlotSequences slots = new SlotSequences(cache, search.numSlots(), cache.newSequence());
        try {
            float[][][] out = model.forward(cache, new int[] {slots.sequence(0)}, new int[][] {prompt},
                    new int[][] {{prompt.length - 1}});
            float[][] rows = {out[0][0]};
            while (true) {
                Selection selection = search.step(rows);
                if (search.isDone()) break;
                slots.follow(selection.parents());
                int[] need = search.slotsNeedingLogits();
                int[] seqs = new int[need.length];
                int[][] tokens = new int[need.length][];
                int[][] at = new int[need.length][];
                for (int i = 0; i < need.length; i++) {
                    seqs[i] = slots.sequence(need[i]);
                    tokens[i] = new int[] {selection.tokens()[need[i]]};
                    at[i] = new int[] {0};
                }
                out = model.forward(cache, seqs, tokens, at);
                rows = new float[need.length][];
                for (int i = 0; i < need.length; i++) rows[i] = out[i][0];
            }
            return search.result();
        } finally {
            slots.freeAll();
        }
    }
}
