package org.longbel.decoding;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
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
        int slots = search.numSlots();
        int[] slotSeq = new int[slots];
        int first = cache.newSequence();
        Arrays.fill(slotSeq, first);
        try {
            float[][][] out = model.forward(cache, new int[] {first}, new int[][] {prompt},
                    new int[][] {{prompt.length - 1}});
            float[][] rows = {out[0][0]};
            while (true) {
                Selection selection = search.step(rows);
                if (search.isDone()) break;
                slotSeq = follow(slotSeq, selection.parents());
                int[] need = search.slotsNeedingLogits();
                int[] seqs = new int[need.length];
                int[][] tokens = new int[need.length][];
                int[][] at = new int[need.length][];
                for (int i = 0; i < need.length; i++) {
                    seqs[i] = slotSeq[need[i]];
                    tokens[i] = new int[] {selection.tokens()[need[i]]};
                    at[i] = new int[] {0};
                }
                out = model.forward(cache, seqs, tokens, at);
                rows = new float[need.length][];
                for (int i = 0; i < need.length; i++) rows[i] = out[i][0];
            }
            return search.result();
        } finally {
            freeAll(slotSeq);
        }
    }

    /**
     * New slot i continues the sequence of old slot {@code parents[i]}: forked, except for the last
     * new slot continuing a given sequence, which takes it over. Old sequences left over are freed.
     */
    private int[] follow(int[] slotSeq, int[] parents) {
        Map<Integer, Integer> uses = new HashMap<>();
        for (int p : parents) uses.merge(slotSeq[p], 1, Integer::sum);
        int[] next = new int[parents.length];
        for (int i = 0; i < parents.length; i++) {
            int seq = slotSeq[parents[i]];
            int left = uses.merge(seq, -1, Integer::sum);
            next[i] = left == 0 ? seq : cache.fork(seq);
        }
        for (int seq : distinct(slotSeq)) {
            if (!uses.containsKey(seq)) cache.free(seq);
        }
        return next;
    }

    private void freeAll(int[] slotSeq) {
        for (int seq : distinct(slotSeq)) cache.free(seq);
    }

    private static int[] distinct(int[] seqs) {
        return Arrays.stream(seqs).distinct().toArray();
    }
}
