package org.longbel.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Differential test: the optimised {@link BeamSearch} against the literal transcription of the
 * reference loop ({@link LiteralBeamSearch}) on many random scripted models, constrained (small tries,
 * so dead beams, -inf fills and placeholders are frequent) and unconstrained, with exact ties in the
 * logits, one or two eos ids, every early-stopping mode, and both of torch.topk's paths.
 */
class BeamSearchOracleTest {

    private static final int CLOSE = 0;
    private static final int SEP = 10;
    private static final int EOS = 11;

    @Test
    void matchesLiteralLoopOnRandomCases() {
        SplittableRandom r = new SplittableRandom(42);
        int deadRanks = 0;
        int placeholders = 0;
        for (int c = 0; c < 400; c++) {
            int beams = 2 + r.nextInt(4);
            int V = r.nextBoolean() ? 12 : 700; // 700: PyTorch's heap path for the KEEP selection
            int[] eos = r.nextInt(4) == 0 ? new int[] {EOS, 9} : new int[] {EOS};
            EarlyStopping es = EarlyStopping.values()[r.nextInt(3)];
            double lengthPenalty = r.nextInt(3) == 0 ? 0.5 + r.nextDouble() : 1.0;
            DecodingSettings s = new DecodingSettings(beams, 1 + r.nextInt(beams), eos, EOS, -1,
                    2 + r.nextInt(5), es, lengthPenalty, DecodingMode.BEAM_SEARCH, SamplingSettings.HF_DEFAULT);
            Constraint constraint = r.nextInt(3) == 0 ? Unconstrained.INSTANCE : randomTrie(r, r.nextBoolean());
            ScriptedLm lm = ScriptedLm.random(V, r.nextLong());
            int[] prompt = {5, 3, CLOSE};
            String label = "case " + c + " " + s + " " + constraint.getClass().getSimpleName();

            LiteralBeamSearch.Output expected = LiteralBeamSearch.run(prompt, V, constraint, s, lm);
            DecodingResult actual = ScriptedLm.drive(new BeamSearch(prompt, V, constraint, s), lm);

            assertEquals(expected.steps(), actual.steps(), label + ": steps");
            for (int i = 0; i < s.numReturn(); i++) {
                Hypothesis h = actual.hypotheses().get(i);
                assertArrayEquals(expected.sequences().get(i), h.tokens(), label + ": rank " + i + " tokens");
                assertEquals(expected.scores()[i], h.sequencesScore(), label + ": rank " + i + " score");
                for (int t = 0; t < h.length(); t++) {
                    if (s.isSpecial(h.tokens()[t])) continue;
                    double want = LiteralBeamSearch.compatTerm(expected.processedScores().get(t), i, h.tokens()[t]);
                    assertClose(want, h.compatTerms()[t], label + ": rank " + i + " compat term " + t);
                    float[] own = expected.processedScores().get(t)[h.beamSlots()[t]];
                    assertEquals(own[h.tokens()[t]], h.tokenLogprobs()[t], label + ": rank " + i + " logprob " + t);
                }
                if (h.isDead()) deadRanks++;
                if (h.length() == 0) placeholders++;
            }
        }
        assertTrue(deadRanks > 50, "the random cases exercise dead ranks: " + deadRanks);
        assertTrue(placeholders > 0, "the random cases exercise placeholders: " + placeholders);
    }

    private static void assertClose(double want, double got, String label) {
        if (Double.isInfinite(want)) assertEquals(want, got, label);
        else assertEquals(want, got, 1e-5, label);
    }

    /** A trie of 1 to 6 random names over tokens 1..9, each key "}" + name + eos. */
    private static Constraint randomTrie(SplittableRandom r, boolean multipleAnswers) {
        List<int[]> keys = new ArrayList<>();
        int names = r.nextBoolean() ? 1 : 1 + r.nextInt(6);
        for (int i = 0; i < names; i++) {
            int len = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(4); // an empty name finishes at L = 1
            int[] key = new int[len + 2];
            key[0] = CLOSE;
            for (int j = 1; j <= len; j++) key[j] = 1 + r.nextInt(r.nextBoolean() ? 3 : 9);
            key[len + 1] = EOS;
            keys.add(key);
        }
        return new TrieConstraint(MapTrie.of(keys), EOS, EOS, multipleAnswers, CLOSE, SEP);
    }
}
