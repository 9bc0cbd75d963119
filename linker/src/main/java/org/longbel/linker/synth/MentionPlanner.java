package org.longbel.linker.synth;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Chooses the concepts and names of one document's mentions, in document order. Exactly
 * {@code round(repeatShare * k)} of the {@code k} mentions (at most {@code k - 1}: the first cannot) name a
 * concept named earlier in the document, at positions drawn at random; each repeat picks one of the
 * document's earlier concepts uniformly and, with probability {@code synonymShare} and when the concept
 * has several names, another of its names than the one the document used first. The other mentions name
 * a concept new to the document, drawn uniformly from the pool (so groups weigh by their number of
 * concepts); when the pool has no concept left that the document has not named, they repeat too.
 */
final class MentionPlanner {
    /** Random draws for an unused concept before scanning the pool for one. */
    private static final int DRAWS = 32;

    private MentionPlanner() {
    }

    static List<PlannedMention> plan(ConceptPool pool, int k, CorpusShape shape, SplittableRandom rnd) {
        boolean[] repeatAt = repeatPositions(k, (int) Math.min(k - 1, Math.round(shape.repeatShare() * k)), rnd);
        List<ConceptPool.Concept> all = pool.concepts();
        Set<Integer> used = new HashSet<>();
        List<Integer> usedInOrder = new ArrayList<>();
        Map<Integer, String> firstName = new HashMap<>();
        List<PlannedMention> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int c = repeatAt[i] ? -1 : unused(all.size(), used, rnd);
            ConceptPool.Concept concept;
            if (c >= 0) {
                concept = all.get(c);
                String name = concept.names().get(rnd.nextInt(concept.names().size()));
                used.add(c);
                usedInOrder.add(c);
                firstName.put(c, name);
                out.add(new PlannedMention(concept, name, false));
            } else {
                c = usedInOrder.get(rnd.nextInt(usedInOrder.size()));
                concept = all.get(c);
                out.add(new PlannedMention(concept, repeatName(concept, firstName.get(c), shape.synonymShare(), rnd), true));
            }
        }
        return out;
    }

    /** {@code repeats} distinct positions among {@code 1..k-1}, drawn uniformly. */
    private static boolean[] repeatPositions(int k, int repeats, SplittableRandom rnd) {
        boolean[] at = new boolean[k];
        int[] candidates = new int[k - 1];
        for (int i = 0; i < candidates.length; i++) candidates[i] = i + 1;
        for (int j = 0; j < repeats; j++) {   // partial Fisher-Yates shuffle
            int pick = j + rnd.nextInt(candidates.length - j);
            int t = candidates[j];
            candidates[j] = candidates[pick];
            candidates[pick] = t;
            at[candidates[j]] = true;
        }
        return at;
    }

    /** A concept index not in {@code used}, drawn uniformly, or -1 when every concept is used. */
    private static int unused(int size, Set<Integer> used, SplittableRandom rnd) {
        if (used.size() >= size) return -1;
        for (int d = 0; d < DRAWS; d++) {
            int c = rnd.nextInt(size);
            if (!used.contains(c)) return c;
        }
        int start = rnd.nextInt(size);   // a crowded pool: take the next free one from a random start
        for (int i = 0; i < size; i++) {
            int c = (start + i) % size;
            if (!used.contains(c)) return c;
        }
        return -1;
    }

    private static String repeatName(ConceptPool.Concept concept, String first, double synonymShare, SplittableRandom rnd) {
        List<String> names = concept.names();
        if (names.size() < 2 || rnd.nextDouble() >= synonymShare) return first;
        String other = names.get(rnd.nextInt(names.size() - 1));
        return other.equals(first) ? names.getLast() : other;
    }
}
