package org.longbel.decoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A scripted "model" for tests: the next-token logits are a function of the generated tokens only.
 * {@link #drive} plays the role of {@link Generator} with plain token lists instead of KV sequences.
 */
interface ScriptedLm {

    float[] logits(int[] generated);

    /** Runs a search to the end; slot histories follow each step's parents like KV sequences would. */
    static DecodingResult drive(DecodingSearch search, ScriptedLm lm) {
        List<int[]> slots = new ArrayList<>();
        for (int k = 0; k < search.numSlots(); k++) slots.add(new int[0]);
        while (!search.isDone()) {
            int[] need = search.slotsNeedingLogits();
            float[][] rows = new float[need.length][];
            for (int i = 0; i < need.length; i++) rows[i] = lm.logits(slots.get(need[i]));
            Selection sel = search.step(rows);
            List<int[]> next = new ArrayList<>();
            for (int i = 0; i < sel.size(); i++) {
                int[] parent = slots.get(sel.parents()[i]);
                int[] child = Arrays.copyOf(parent, parent.length + 1);
                child[parent.length] = sel.tokens()[i];
                next.add(child);
            }
            slots = next;
        }
        return search.result();
    }

    /**
     * Log-probabilities given per prefix (unlisted tokens and prefixes share what is left); the
     * logits are their logs, so log-softmax returns them up to rounding.
     */
    final class Table implements ScriptedLm {
        private final int vocab;
        private final Map<String, float[]> rows = new HashMap<>();

        Table(int vocab) {
            this.vocab = vocab;
        }

        /** After {@code prefix}, token {@code pairs[2i]} has probability {@code pairs[2i+1]}. */
        Table after(int[] prefix, double... pairs) {
            double[] p = new double[vocab];
            double used = 0;
            boolean[] set = new boolean[vocab];
            for (int i = 0; i < pairs.length; i += 2) {
                p[(int) pairs[i]] = pairs[i + 1];
                set[(int) pairs[i]] = true;
                used += pairs[i + 1];
            }
            int rest = 0;
            for (boolean s : set) if (!s) rest++;
            for (int t = 0; t < vocab; t++) if (!set[t]) p[t] = (1 - used) / rest;
            float[] row = new float[vocab];
            for (int t = 0; t < vocab; t++) row[t] = (float) Math.log(p[t]);
            rows.put(Arrays.toString(prefix), row);
            return this;
        }

        @Override
        public float[] logits(int[] generated) {
            float[] row = rows.get(Arrays.toString(generated));
            if (row != null) return row.clone();
            float[] uniform = new float[vocab];
            return uniform;
        }
    }

    /** Pseudo-random logits per prefix, quantised to quarters so that exact ties happen. */
    static ScriptedLm random(int vocab, long seed) {
        return generated -> {
            long h = seed * 0x9E3779B97F4A7C15L + generated.length;
            for (int t : generated) h = (h ^ t) * 0x100000001B3L + 0x632BE59BD9B4E019L;
            java.util.SplittableRandom r = new java.util.SplittableRandom(h);
            float[] row = new float[vocab];
            for (int t = 0; t < vocab; t++) row[t] = (float) (Math.round(r.nextDouble(-8, 8) * 4) / 4.0);
            return row;
        };
    }
}
