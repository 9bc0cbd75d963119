package org.longbel.decoding;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.longbel.core.KvCache;

/**
 * The KV sequence behind each running slot of one {@link DecodingSearch}. Every slot starts on the prompt's
 * sequence; after a step, new slot i continues the sequence of its parent slot: forked (sharing its blocks),
 * except for the last new slot continuing a given sequence, which takes it over. Sequences no slot continues
 * are freed. Not thread-safe.
 */
public final class SlotSequences {
    private final KvCache cache;
    private int[] slotSeq;

    /** {@code slots} slots, all on the prompt's sequence {@code promptSeq} (which this object now owns). */
    public SlotSequences(KvCache cache, int slots, int promptSeq) {
        this.cache = cache;
        this.slotSeq = new int[slots];
        Arrays.fill(slotSeq, promptSeq);
    }

    /** The sequence of slot {@code slot}. */
    public int sequence(int slot) {
        return slotSeq[slot];
    }

    /** Applies a step's parents: new slot i continues old slot {@code parents[i]}. */
    public void follow(int[] parents) {
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
        slotSeq = next;
    }

    /** Frees every sequence still held. */
    public void freeAll() {
        for (int seq : distinct(slotSeq)) cache.free(seq);
        slotSeq = new int[0];
    }

    private static int[] distinct(int[] seqs) {
        return Arrays.stream(seqs).distinct().toArray();
    }
}
