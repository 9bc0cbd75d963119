package org.longbel.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Greedy search ({@code num_beams = 1}) equals the step-by-step argmax of the processed logits. */
class GreedySearchTest {

    private static final int V = 12;
    private static final int EOS = 11;
    private static final int CLOSE = 0;

    private static DecodingSettings greedy(int maxNew) {
        return new DecodingSettings(1, 1, new int[] {EOS}, EOS, -1, maxNew, EarlyStopping.FALSE, 1.0,
                DecodingMode.GREEDY, SamplingSettings.HF_DEFAULT);
    }

    /** The reference by hand: argmax (first maximal index) of logits + mask, until eos or max length. */
    private static int[] argmaxLoop(ScriptedLm lm, Constraint c, int[] prompt, int maxNew) {
        int[] generated = new int[0];
        int[] buffer = new int[V];
        while (generated.length < maxNew) {
            float[] row = lm.logits(generated);
            int n = c.allowed(prompt, generated, generated.length, buffer);
            boolean[] ok = new boolean[V];
            if (n == Constraint.ALL) Arrays.fill(ok, true);
            for (int i = 0; i < n; i++) ok[buffer[i]] = true;
            int best = -1;
            for (int t = 0; t < V; t++) if (ok[t] && (best < 0 || row[t] > row[best])) best = t;
            generated = Arrays.copyOf(generated, generated.length + 1);
            generated[generated.length - 1] = best;
            if (best == EOS) break;
        }
        return generated;
    }

    @Test
    void equalsStepByStepArgmax() {
        SplittableRandom r = new SplittableRandom(7);
        int[] prompt = {4, CLOSE};
        for (int c = 0; c < 200; c++) {
            ScriptedLm lm = ScriptedLm.random(V, r.nextLong());
            Constraint constraint = c % 2 == 0 ? Unconstrained.INSTANCE
                    : new TrieConstraint(MapTrie.of(List.of(new int[] {CLOSE, 1, 2, EOS}, new int[] {CLOSE, 1, 3, 4, EOS},
                            new int[] {CLOSE, 5, EOS})), EOS, EOS, false, CLOSE, 10);
            int maxNew = 1 + r.nextInt(8);
            DecodingResult result = ScriptedLm.drive(new GreedySearch(prompt, V, constraint, greedy(maxNew)), lm);
            Hypothesis h = result.hypotheses().get(0);
            assertArrayEquals(argmaxLoop(lm, constraint, prompt, maxNew), h.tokens(), "case " + c);
            assertEquals(DecodingMode.GREEDY, result.mode());
            assertTrue(Double.isNaN(h.beamScore()), "no beam score with one beam");
        }
    }

    @Test
    void greedyScoreIsTheMeanRenormalisedLogProbOfTheMaskedLogits() {
        ScriptedLm.Table lm = new ScriptedLm.Table(V).after(new int[0], 1, .5, 5, .2).after(new int[] {1}, 2, .6, 3, .3);
        Constraint c = new TrieConstraint(MapTrie.of(List.of(new int[] {CLOSE, 1, 2, EOS}, new int[] {CLOSE, 1, 3, EOS},
                new int[] {CLOSE, 5, EOS})), EOS, EOS, false, CLOSE, 10);
        Hypothesis h = ScriptedLm.drive(new GreedySearch(new int[] {CLOSE}, V, c, greedy(10)), lm).hypotheses().get(0);
        assertArrayEquals(new int[] {1, 2, EOS}, h.tokens());
        double expected = Math.exp((Math.log(.5 / .7) + Math.log(.6 / .9)) / 2);
        assertEquals(expected, h.score(), 1e-6);
        assertEquals(expected, h.compatScore(), 1e-6, "one row: the wrapper's lookup is the own history");
        assertEquals((float) Math.log(.5), h.tokenLogprobs()[0], 1e-6, "processed value = the raw logit");
    }
    @Test
    void anyOfSeveralEosIdsEndsTheSequence() {
        int otherEos = 9;
        ScriptedLm.Table lm = new ScriptedLm.Table(V).after(new int[0], 3, .6).after(new int[] {3}, otherEos, .7);
        DecodingSettings twoEos = new DecodingSettings(1, 1, new int[] {EOS, otherEos}, EOS, -1, 10,
                EarlyStopping.FALSE, 1.0, DecodingMode.GREEDY, SamplingSettings.HF_DEFAULT);
        Hypothesis h = ScriptedLm.drive(new GreedySearch(new int[] {CLOSE}, V, Unconstrained.INSTANCE, twoEos), lm)
                .hypotheses().get(0);
        assertArrayEquals(new int[] {3, otherEos}, h.tokens());
        assertTrue(h.special()[1], "the second eos id is left out of the score like the first");
    }

    @Test
    void anUnsatisfiableConstraintIsADecodingError() {
        Constraint none = (prompt, generated, length, out) -> 0;
        GreedySearch search = new GreedySearch(new int[] {CLOSE}, V, none, greedy(5));
        DecodingException e = org.junit.jupiter.api.Assertions.assertThrows(DecodingException.class,
                () -> search.step(new float[][] {new float[V]}));
        assertTrue(e.getMessage().startsWith("constraint is unsatisfiable"), e.getMessage());
    }
}
