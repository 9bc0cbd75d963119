package org.longbel.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rule-by-rule checks of {@link BeamSearch} on scripted log-probabilities, with expectations worked
 * out by hand from hf-beam-search.md (the derivations are in the comments). The vocabulary is large
 * enough (700) for PyTorch's heap path of the KEEP selection ({@link TorchTopK}), as with a real model.
 * Ids: eos = pad = 5, "}" = 6, "<+>" = 7; unlisted tokens share the probability left.
 */
class BeamSearchRulesTest {

    private static final int V = 700;
    private static final int EOS = 5;
    private static final int CLOSE = 6;
    private static final int SEP = 7;
    private static final int[] PROMPT = {3, CLOSE};
    private static final float DEAD = -1.0e9f;

    private static DecodingSettings settings(int beams, int maxNew, EarlyStopping es) {
        return new DecodingSettings(beams, beams, new int[] {EOS}, EOS, -1, maxNew, es, 1.0,
                DecodingMode.BEAM_SEARCH, SamplingSettings.HF_DEFAULT);
    }

    private static DecodingResult run(ScriptedLm lm, Constraint c, DecodingSettings s) {
        return ScriptedLm.drive(new BeamSearch(PROMPT, V, c, s), lm);
    }

    private static Constraint trie(boolean multipleAnswers, int[]... names) {
        List<int[]> keys = new java.util.ArrayList<>();
        for (int[] name : names) {
            int[] key = new int[name.length + 2];
            key[0] = CLOSE;
            System.arraycopy(name, 0, key, 1, name.length);
            key[name.length + 1] = EOS;
            keys.add(key);
        }
        return new TrieConstraint(MapTrie.of(keys), EOS, EOS, multipleAnswers, CLOSE, SEP);
    }

    private static float sum(float[] values) {
        float s = 0f;
        for (float v : values) s += v;
        return s;
    }

    @Test
    void eosRankedAtOrBelowKIsDroppedNotFinished() {
        // step 0: t0 .29, t1 .29, eos .28 (ln .28 = -1.27 would beat every 3-token result, about -1.4)
        ScriptedLm.Table lm = new ScriptedLm.Table(V)
                .after(new int[0], 0, .29, 1, .29, EOS, .28)
                .after(new int[] {0}, EOS, .001)
                .after(new int[] {1}, EOS, .001);
        // K = 2: candidates t0, t1, eos (rank 2 >= K: dropped), ...
        DecodingResult two = run(lm, Unconstrained.INSTANCE, settings(2, 3, EarlyStopping.FALSE));
        for (Hypothesis h : two.hypotheses()) {
            assertEquals(3, h.length(), "only max-length hypotheses remain");
            assertTrue(h.tokens()[0] != EOS);
        }
        // K = 3: eos is rank 2 < K, so it finishes at L = 1 and ranks first
        DecodingResult three = run(lm, Unconstrained.INSTANCE, settings(3, 3, EarlyStopping.FALSE));
        assertArrayEquals(new int[] {EOS}, three.hypotheses().get(0).tokens());
        assertEquals((float) Math.log(.28), three.hypotheses().get(0).sequencesScore(), 1e-6);
    }

    @Test
    void atMaxLengthTheTopKCandidatesFinishEvenFromOneParent() {
        ScriptedLm.Table lm = new ScriptedLm.Table(V)
                .after(new int[0], 0, .9, EOS, 1e-6)
                .after(new int[] {0}, 1, .9, EOS, 1e-6)
                .after(new int[] {0, 1}, 2, .31, 3, .3, 4, .29, EOS, 1e-6);
        DecodingResult r = run(lm, Unconstrained.INSTANCE, settings(3, 3, EarlyStopping.FALSE));
        assertEquals(3, r.steps());
        int[][] expected = {{0, 1, 2}, {0, 1, 3}, {0, 1, 4}};
        double[] last = {.31, .3, .29};
        for (int i = 0; i < 3; i++) {
            Hypothesis h = r.hypotheses().get(i);
            assertArrayEquals(expected[i], h.tokens());
            assertEquals(sum(h.tokenLogprobs()) / 3f, h.sequencesScore(), "score = float sum / L");
            assertEquals(Math.log(.9 * .9 * last[i]) / 3, h.sequencesScore(), 1e-5);
            assertArrayEquals(new int[] {0, 0, 0}, new int[] {h.beamSlots()[0], h.beamSlots()[1], h.beamSlots()[2]});
        }
    }

    /**
     * K = 2. Step 0: t0 -0.511 runs, eos -1.204 finishes (rank 1, L = 1). Step 1: [0,eos] -1.204 finishes
     * (rank 0: -0.602), [0,2] -1.310 runs; the pool is full. Heuristic: -1.310/2 = -0.655 > min -1.204, so
     * early_stopping=False continues and finds [0,2,eos] = -1.320/3 = -0.440, then closes (best running
     * about -12.5/3 <= -0.602); True stops at the full pool.
     */
    private static ScriptedLm.Table heuristicModel() {
        return new ScriptedLm.Table(V)
                .after(new int[0], 0, .6, EOS, .3, 1, .05)
                .after(new int[] {0}, EOS, .5, 2, .45)
                .after(new int[] {0, 2}, EOS, .99);
    }

    @Test
    void closingHeuristicFalseContinuesWhileTheBestRunningBeamCanImprove() {
        DecodingResult r = run(heuristicModel(), Unconstrained.INSTANCE, settings(2, 20, EarlyStopping.FALSE));
        assertArrayEquals(new int[] {0, 2, EOS}, r.hypotheses().get(0).tokens());
        assertArrayEquals(new int[] {0, EOS}, r.hypotheses().get(1).tokens());
        assertEquals(Math.log(.6 * .45 * .99) / 3, r.hypotheses().get(0).sequencesScore(), 1e-5);
        assertEquals(3, r.steps(), "closes after step 3: best running -12.5/3 <= worst finished -0.602");
    }

    @Test
    void earlyStoppingTrueStopsAsSoonAsKHypothesesAreFinished() {
        DecodingResult r = run(heuristicModel(), Unconstrained.INSTANCE, settings(2, 20, EarlyStopping.TRUE));
        assertEquals(2, r.steps());
        assertArrayEquals(new int[] {0, EOS}, r.hypotheses().get(0).tokens());
        assertArrayEquals(new int[] {EOS}, r.hypotheses().get(1).tokens());
        assertEquals((float) Math.log(.3), r.hypotheses().get(1).sequencesScore(), 1e-6);
    }

    @Test
    void earlyStoppingNeverJudgesTheRunningBeamAtMaxLength() {
        // after step 3 the best running sum is about -12.5: -12.5/40 > -0.602 keeps "never" going
        DecodingResult never = run(heuristicModel(), Unconstrained.INSTANCE, settings(2, 40, EarlyStopping.NEVER));
        DecodingResult normal = run(heuristicModel(), Unconstrained.INSTANCE, settings(2, 40, EarlyStopping.FALSE));
        assertTrue(never.steps() > normal.steps(), never.steps() + " steps vs " + normal.steps());
        assertArrayEquals(normal.hypotheses().get(0).tokens(), never.hypotheses().get(0).tokens());
    }

    @Test
    void deadBeamsFillTheRanksWithMinusOneBillionArithmetic() {
        // one name [1, 2]: slot 0 is the only live beam; slots 1..4 start at -1e9 and -1e9 + lp rounds to -1e9
        DecodingResult r = run(new ScriptedLm.Table(V), trie(false, new int[] {1, 2}), settings(5, 128, EarlyStopping.FALSE));
        Hypothesis best = r.hypotheses().get(0);
        assertArrayEquals(new int[] {1, 2, EOS}, best.tokens());
        assertEquals((float) -Math.log(V), best.sequencesScore(), 1e-6, "uniform rows: every lp = -ln 700");
        assertTrue(!best.isDead());
        for (int i = 1; i < 5; i++) {
            Hypothesis h = r.hypotheses().get(i);
            assertArrayEquals(new int[] {1, 2, EOS}, h.tokens(), "a dead copy of the name");
            assertEquals(DEAD / 3f, h.sequencesScore(), "(-1e9 + lp + lp + lp) rounds to -1e9; / 3");
            assertEquals(0.0, h.beamScore());
            assertTrue(h.isDead());
        }
        assertEquals(3, r.steps());
    }

    @Test
    void placeholdersAndDeadNewcomersTieAtMinusOneBillion() {
        // only the empty name: eos is the single allowed token; dead copies finish at (-1e9 + lp)/1 = -1e9,
        // exactly the placeholders' score; torch.topk's order decides which of them fill ranks 2..5
        DecodingResult r = run(new ScriptedLm.Table(V), trie(false, new int[0]), settings(5, 128, EarlyStopping.FALSE));
        assertArrayEquals(new int[] {EOS}, r.hypotheses().get(0).tokens());
        int placeholders = 0;
        for (int i = 1; i < 5; i++) {
            Hypothesis h = r.hypotheses().get(i);
            assertEquals(DEAD, h.sequencesScore(), "-1e9 + lp rounds to -1e9");
            assertTrue(h.isDead());
            assertEquals(0.0, h.beamScore());
            assertTrue(h.length() == 0 || Arrays.equals(new int[] {EOS}, h.tokens()), "a placeholder or a dead [eos]");
            if (h.length() == 0) placeholders++;
        }
        assertTrue(placeholders > 0, "some placeholder stays: the item closes at once");
        assertEquals(1, r.steps(), "every running beam is dead after step 1: the item closes");
    }

    @Test
    void tiesFollowTorchTopKNotTheTokenOrder() {
        // names [10] and [20], equally likely. Step 0 (heap path, KEEP = 4, see TorchTopKTest):
        // candidates t10, t20, dead t20, dead t10; the running top-2 (nth_element) puts t20 in slot 0
        ScriptedLm.Table lm = new ScriptedLm.Table(V)
                .after(new int[0], 10, .4, 20, .4)
                .after(new int[] {10}, EOS, .9)
                .after(new int[] {20}, EOS, .9);
        DecodingResult r = run(lm, trie(false, new int[] {10}, new int[] {20}), settings(2, 10, EarlyStopping.FALSE));
        Hypothesis first = r.hypotheses().get(0);
        Hypothesis second = r.hypotheses().get(1);
        assertEquals(first.sequencesScore(), second.sequencesScore(), "an exact tie");
        assertEquals(0, tokenSlot(r, 20), "t20 ran in slot 0");
        assertEquals(1, tokenSlot(r, 10), "t10 ran in slot 1");
        assertTrue(first.tokens()[0] != second.tokens()[0]);
    }

    private static int tokenSlot(DecodingResult r, int firstToken) {
        for (Hypothesis h : r.hypotheses()) if (h.tokens()[0] == firstToken) return h.beamSlots()[1];
        throw new AssertionError("no hypothesis starts with " + firstToken);
    }

    @Test
    void multipleAnswersContinueAfterTheSeparator() {
        ScriptedLm.Table lm = new ScriptedLm.Table(V)
                .after(new int[0], 1, .9)
                .after(new int[] {1}, SEP, .9)
                .after(new int[] {1, SEP}, 2, .9)
                .after(new int[] {1, SEP, 2}, 3, .9)
                .after(new int[] {1, SEP, 2, 3}, EOS, .9);
        Constraint c = trie(true, new int[] {1}, new int[] {2, 3});
        DecodingResult r = run(lm, c, settings(3, 20, EarlyStopping.FALSE));
        assertArrayEquals(new int[] {1, SEP, 2, 3, EOS}, r.hypotheses().get(0).tokens());
        // without multiple answers "<+>" is masked: the best is the plain name
        DecodingResult single = run(lm, trie(false, new int[] {1}, new int[] {2, 3}), settings(3, 20, EarlyStopping.FALSE));
        assertArrayEquals(new int[] {1, EOS}, single.hypotheses().get(0).tokens());
    }

    @Test
    void scoresRenormaliseOverTheAllowedTokensAlongTheOwnHistory() {
        // uniform rows, name [1, 2]: allowed sets are singletons, so the renormalised log-prob is 0
        DecodingResult r = run(new ScriptedLm.Table(V), trie(false, new int[] {1, 2}), settings(5, 128, EarlyStopping.FALSE));
        Hypothesis best = r.hypotheses().get(0);
        assertEquals(1.0, best.score(), 1e-6);
        assertEquals(1.0, best.compatScore(), 1e-6);
        assertEquals(Math.exp(best.sequencesScore()), best.beamScore(), 1e-12);
        assertTrue(Double.isNaN(best.compatTerms()[2]), "eos is left out of the wrapper's mean");
    }

    @Test
    void compatScoreReadsTheRankSlotNotTheOwnHistory() {
        // two names [1] and [2]; slot 1 holds [2], where token 1 is masked: rank 1's first token is
        // looked up in slot 1 at step 1 only; at step 0 all slots are the prompt
        ScriptedLm.Table lm = new ScriptedLm.Table(V)
                .after(new int[0], 1, .5, 2, .3)
                .after(new int[] {1}, EOS, .5)
                .after(new int[] {2}, EOS, .5);
        DecodingResult r = run(lm, trie(false, new int[] {1}, new int[] {2}), settings(2, 10, EarlyStopping.FALSE));
        Hypothesis first = r.hypotheses().get(0);
        Hypothesis second = r.hypotheses().get(1);
        assertArrayEquals(new int[] {1, EOS}, first.tokens());
        assertArrayEquals(new int[] {2, EOS}, second.tokens());
        assertEquals(Math.log(.5 / .8), first.compatTerms()[0], 1e-6);
        assertEquals(Math.log(.3 / .8), second.compatTerms()[0], 1e-6);
        assertEquals(.3 / .8, second.score(), 1e-6);
    }

    @Test
    void duplicateAllowedTokensCountOnce() {
        Constraint twice = (prompt, generated, length, out) -> {
            if (length > 0) {
                out[0] = EOS;
                return 1;
            }
            out[0] = 1;
            out[1] = 2;
            out[2] = 1;
            return 3;
        };
        DecodingResult r = run(new ScriptedLm.Table(V).after(new int[0], 1, .6, 2, .3), twice, settings(3, 10, EarlyStopping.FALSE));
        assertArrayEquals(new int[] {1, EOS}, r.hypotheses().get(0).tokens());
        assertArrayEquals(new int[] {2, EOS}, r.hypotheses().get(1).tokens());
        assertTrue(r.hypotheses().get(2).isDead(), "no second copy of [1, eos] among the live ranks");
        assertEquals(Math.log(.6 / .9), r.hypotheses().get(0).renormalised()[0], 1e-6);
    }

    @Test
    void anUnsatisfiableConstraintIsAnError() {
        Constraint none = (prompt, generated, length, out) -> 0;
        BeamSearch search = new BeamSearch(PROMPT, V, none, settings(2, 10, EarlyStopping.FALSE));
        DecodingException e = org.junit.jupiter.api.Assertions.assertThrows(DecodingException.class,
                () -> search.step(new float[][] {new float[V]}));
        assertTrue(e.getMessage().contains("unsatisfiable"), e.getMessage());
    }
}
