package org.longbel.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.longbel.core.LogSoftmax;

/** Beam sampling: reproducible with a seed; every sampled continuation respects the constraint, top-k and top-p. */
class BeamSamplingTest {

    private static final int V = 12;
    private static final int EOS = 11;
    private static final int CLOSE = 0;
    private static final int[] PROMPT = {3, CLOSE};

    private static DecodingSettings sampling(int beams, double t, int topK, double topP, long seed) {
        return new DecodingSettings(beams, beams, new int[] {EOS}, EOS, -1, 8, EarlyStopping.FALSE, 1.0,
                DecodingMode.BEAM_SAMPLE, new SamplingSettings(t, topK, topP, seed));
    }

    private static DecodingResult run(ScriptedLm lm, Constraint c, DecodingSettings s) {
        return ScriptedLm.drive(new BeamSearch(PROMPT, V, c, s), lm);
    }

    /** Hypotheses that hold real sampled tokens: generated, and not scored -inf. */
    private static List<Hypothesis> sampled(DecodingResult r) {
        List<Hypothesis> out = new ArrayList<>();
        for (Hypothesis h : r.hypotheses()) if (h.length() > 0 && h.sequencesScore() > Float.NEGATIVE_INFINITY) out.add(h);
        return out;
    }

    @Test
    void aFixedSeedIsReproducibleAndSeedsMatter() {
        ScriptedLm lm = ScriptedLm.random(V, 99);
        Set<String> distinct = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            DecodingResult a = run(lm, Unconstrained.INSTANCE, sampling(3, 0.6, 50, 0.9, seed));
            DecodingResult b = run(lm, Unconstrained.INSTANCE, sampling(3, 0.6, 50, 0.9, seed));
            assertEquals(DecodingMode.BEAM_SAMPLE, a.mode());
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(a.hypotheses().get(i).tokens(), b.hypotheses().get(i).tokens());
                assertEquals(a.hypotheses().get(i).sequencesScore(), b.hypotheses().get(i).sequencesScore());
            }
            StringBuilder all = new StringBuilder();
            for (Hypothesis h : a.hypotheses()) all.append(Arrays.toString(h.tokens()));
            distinct.add(all.toString());
        }
        assertTrue(distinct.size() > 1, "different seeds sample different sequences");
    }

    @Test
    void sampledContinuationsRespectTheConstraint() {
        MapTrie trie = MapTrie.of(List.of(new int[] {CLOSE, 1, 2, EOS}, new int[] {CLOSE, 1, 3, 4, EOS},
                new int[] {CLOSE, 5, EOS}, new int[] {CLOSE, 5, 6, 7, EOS}, new int[] {CLOSE, 8, EOS}));
        Constraint c = new TrieConstraint(trie, EOS, EOS, false, CLOSE, 10);
        Set<String> names = Set.of("[1, 2, 11]", "[1, 3, 4, 11]", "[5, 11]", "[5, 6, 7, 11]", "[8, 11]");
        SplittableRandom r = new SplittableRandom(3);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            DecodingResult result = run(ScriptedLm.random(V, r.nextLong()), c, sampling(5, 0.6, 50, 0.9, r.nextLong()));
            for (Hypothesis h : sampled(result)) {
                int end = 0;
                while (h.tokens()[end] != EOS) end++;
                for (int t = end + 1; t < h.length(); t++) {
                    // a beam chosen as running after its eos (too few candidates outranked it) carries -1e9
                    assertEquals(EOS, h.tokens()[t], "only eos after eos");
                    assertTrue(h.isDead());
                }
                String s = Arrays.toString(Arrays.copyOf(h.tokens(), end + 1));
                assertTrue(names.contains(s), "sampled " + s + " is a trie name");
                if (!h.isDead()) seen.add(s);
            }
        }
        assertEquals(names, seen, "every name gets sampled");
    }

    @Test
    void sampledTokensAreWithinTopKTiesIncluded() {
        SplittableRandom r = new SplittableRandom(5);
        int topK = 3; // max(3, n_eos + 1 = 2)
        for (int i = 0; i < 100; i++) {
            ScriptedLm lm = ScriptedLm.random(V, r.nextLong());
            for (Hypothesis h : sampled(run(lm, Unconstrained.INSTANCE, sampling(3, 0.6, topK, 1.0, r.nextLong())))) {
                for (int t = 0; t < h.length(); t++) {
                    float[] row = lm.logits(Arrays.copyOf(h.tokens(), t));
                    int above = 0;
                    for (float v : row) if (v > row[h.tokens()[t]]) above++;
                    assertTrue(above < topK, "token " + h.tokens()[t] + " has " + above + " strictly better tokens");
                }
            }
        }
    }

    @Test
    void sampledTokensAreWithinTheNucleus() {
        SplittableRandom r = new SplittableRandom(11);
        double topP = 0.5;
        double temperature = 0.6;
        for (int i = 0; i < 100; i++) {
            ScriptedLm lm = ScriptedLm.random(V, r.nextLong());
            for (Hypothesis h : sampled(run(lm, Unconstrained.INSTANCE, sampling(3, temperature, 0, topP, r.nextLong())))) {
                for (int t = 0; t < h.length(); t++) {
                    float[] row = lm.logits(Arrays.copyOf(h.tokens(), t));
                    double z = 0;
                    for (float v : row) z += Math.exp(v / temperature);
                    double massAbove = 0;
                    int above = 0;
                    float own = row[h.tokens()[t]];
                    for (float v : row) {
                        if (v > own) {
                            massAbove += Math.exp(v / temperature) / z;
                            above++;
                        }
                    }
                    // kept iff the tokens strictly above hold less than top_p, or it is among the 2 always kept
                    assertTrue(massAbove < topP + 1e-5 || above < 2, "token outside the nucleus: mass above " + massAbove);
                }
            }
        }
    }

    @Test
    void plainSamplingWithOneBeamKeepsAtLeastOneTokenAndIsReproducible() {
        SplittableRandom r = new SplittableRandom(17);
        for (int i = 0; i < 50; i++) {
            ScriptedLm lm = ScriptedLm.random(V, r.nextLong());
            long seed = r.nextLong();
            DecodingSettings s = new DecodingSettings(1, 1, new int[] {EOS}, EOS, -1, 8, EarlyStopping.FALSE, 1.0,
                    DecodingMode.SAMPLE, new SamplingSettings(0.7, 2, 0.8, seed));
            DecodingResult a = ScriptedLm.drive(new GreedySearch(PROMPT, V, Unconstrained.INSTANCE, s), lm);
            DecodingResult b = ScriptedLm.drive(new GreedySearch(PROMPT, V, Unconstrained.INSTANCE, s), lm);
            assertEquals(DecodingMode.SAMPLE, a.mode());
            Hypothesis h = a.hypotheses().get(0);
            assertArrayEquals(h.tokens(), b.hypotheses().get(0).tokens());
            for (int t = 0; t < h.length(); t++) {
                float[] row = lm.logits(Arrays.copyOf(h.tokens(), t));
                int above = 0;
                for (float v : row) if (v > row[h.tokens()[t]]) above++;
                assertTrue(above < 2, "top-k = 2 on the raw logits (no log-softmax without beams)");
                assertEquals(row[h.tokens()[t]] / 0.7f, h.tokenLogprobs()[t], 1e-6, "processed value = logit / T");
            }
        }
    }

    @Test
    void theSequenceScoreIsTemperedAndCanBeUntempered() {
        ScriptedLm lm = ScriptedLm.random(V, 1234);
        DecodingResult r = run(lm, Unconstrained.INSTANCE, sampling(2, 0.5, 50, 1.0, 1));
        Hypothesis h = r.hypotheses().get(0);
        float sum = 0f;
        for (float v : h.tokenLogprobs()) sum += v;
        assertEquals(sum / h.length(), h.sequencesScore(), "mean of the tempered log-probs");
        // the processed value is lp / T: recompute lp for the first token
        float[] row = lm.logits(new int[0]);
        LogSoftmax.Normalizer n = LogSoftmax.normalizer(row);
        assertEquals(n.apply(row[h.tokens()[0]]) / 0.5f, h.tokenLogprobs()[0], 1e-6);
        assertEquals(Math.exp(0.5f * h.sequencesScore()), r.untemperedBeamScore(0), 1e-9);
    }
}
