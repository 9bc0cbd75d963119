package org.longbel.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.longbel.core.LogitRow;

/**
 * Searches fed {@link LogitRow#select selected rows} (the allowed tokens' logits and the whole row's normaliser,
 * as a device sends them back) decide exactly as when fed the whole rows, and refuse a selection that is not the
 * constraint's allowed set.
 */
class SelectedRowsTest {

    private static final int V = 700;
    private static final int EOS = 5;
    private static final int CLOSE = 6;
    private static final int SEP = 7;
    private static final int[] PROMPT = {3, 9, CLOSE};

    /** 60 random names over tokens 10..30 (shared prefixes, lengths 1 to 6), as trie keys "}" name eos. */
    private static Constraint trie(boolean multipleAnswers) {
        SplittableRandom r = new SplittableRandom(7);
        List<int[]> keys = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int[] key = new int[r.nextInt(1, 7) + 2];
            key[0] = CLOSE;
            for (int j = 1; j < key.length - 1; j++) key[j] = r.nextInt(10, 31);
            key[key.length - 1] = EOS;
            keys.add(key);
        }
        return new TrieConstraint(MapTrie.of(keys), EOS, EOS, multipleAnswers, CLOSE, SEP);
    }

    private static DecodingSettings settings(int beams, DecodingMode mode, int maxNew) {
        return new DecodingSettings(beams, beams, new int[] {EOS}, EOS, -1, maxNew, EarlyStopping.FALSE, 1.0,
                mode, mode.isSampling() ? new SamplingSettings(0.8, 5, 0.9, 11) : SamplingSettings.HF_DEFAULT);
    }

    private static float[] randomRow(SplittableRandom r) {
        float[] row = new float[V];
        for (int t = 0; t < V; t++) row[t] = (float) (r.nextGaussian() * 3);
        return row;
    }

    /** Drives two copies of a search in lock step, one with whole rows, one with the rows it asked for. */
    private static void assertSameWithSelectedRows(DecodingSearch dense, DecodingSearch selected, Constraint c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int steps = 0;
        while (!dense.isDone()) {
            assertEquals(dense.isDone(), selected.isDone());
            int[][] wanted = selected.wantedIds();
            assertEquals(selected.slotsNeedingLogits().length, wanted.length);
            LogitRow[] full = new LogitRow[wanted.length];
            LogitRow[] sel = new LogitRow[wanted.length];
            for (int i = 0; i < wanted.length; i++) {
                assertNotNull(wanted[i], "a constrained deterministic search asks for its allowed ids");
                float[] row = randomRow(r);
                full[i] = LogitRow.dense(row);
                sel[i] = LogitRow.select(row, wanted[i]);
            }
            Selection a = dense.step(full);
            Selection b = selected.step(sel);
            assertArrayEquals(a.parents(), b.parents(), "step " + steps);
            assertArrayEquals(a.tokens(), b.tokens(), "step " + steps);
            steps++;
        }
        assertTrue(selected.isDone());
        assertTrue(steps > 2, "the test should run several steps, ran " + steps);
        assertSameResult(dense.result(), selected.result());
    }

    static void assertSameResult(DecodingResult a, DecodingResult b) {
        assertEquals(a.steps(), b.steps());
        assertEquals(a.hypotheses().size(), b.hypotheses().size());
        for (int i = 0; i < a.hypotheses().size(); i++) {
            Hypothesis x = a.hypotheses().get(i);
            Hypothesis y = b.hypotheses().get(i);
            assertArrayEquals(x.tokens(), y.tokens());
            assertEquals(Float.floatToRawIntBits(x.sequencesScore()), Float.floatToRawIntBits(y.sequencesScore()));
            assertArrayEquals(x.tokenLogprobs(), y.tokenLogprobs());
            assertArrayEquals(x.renormalised(), y.renormalised());
            assertArrayEquals(x.compatTerms(), y.compatTerms());
            assertArrayEquals(x.beamSlots(), y.beamSlots());
        }
    }

    @Test
    void constrainedBeamSearchDecidesTheSameOnSelectedRows() {
        for (boolean multi : new boolean[] {false, true}) {
            for (long seed = 1; seed <= 4; seed++) {
                Constraint c = trie(multi);
                DecodingSettings s = settings(4, DecodingMode.BEAM_SEARCH, 8);
                assertSameWithSelectedRows(new BeamSearch(PROMPT, V, c, s), new BeamSearch(PROMPT, V, c, s), c, seed);
            }
        }
    }

    @Test
    void constrainedGreedySearchDecidesTheSameOnSelectedRows() {
        for (long seed = 1; seed <= 4; seed++) {
            Constraint c = trie(true);
            DecodingSettings s = settings(1, DecodingMode.GREEDY, 8);
            assertSameWithSelectedRows(new GreedySearch(PROMPT, V, c, s), new GreedySearch(PROMPT, V, c, s), c, seed);
        }
    }

    @Test
    void beamSearchAsksForEachBeamsAllowedTokens() {
        Constraint c = trie(false);
        BeamSearch search = new BeamSearch(PROMPT, V, c, settings(3, DecodingMode.BEAM_SEARCH, 6));
        SplittableRandom r = new SplittableRandom(3);
        int[][] first = search.wantedIds();
        assertEquals(1, first.length, "the first step reads one row, the prompt's");
        assertArrayEquals(allowed(c, new int[0]), first[0]);
        Selection sel = search.step(new float[][] {randomRow(r)});
        List<int[]> histories = new ArrayList<>();
        for (int token : sel.tokens()) histories.add(new int[] {token});
        int[][] wanted = search.wantedIds();
        assertEquals(3, wanted.length);
        for (int k = 0; k < 3; k++) assertArrayEquals(allowed(c, histories.get(k)), wanted[k], "beam " + k);
        wanted[0][0] = -1; // a copy: the caller cannot change what the search checks against
        assertArrayEquals(allowed(c, histories.get(0)), search.wantedIds()[0]);
    }

    private static int[] allowed(Constraint c, int[] generated) {
        int[] out = new int[V];
        int n = c.allowed(PROMPT, generated, generated.length, out);
        return Arrays.stream(out, 0, n).sorted().distinct().toArray();
    }

    @Test
    void wholeRowsAreAskedForWhereTheModeOrConstraintNeedsThem() {
        Constraint c = trie(false);
        assertNull(new BeamSearch(PROMPT, V, Unconstrained.INSTANCE, settings(3, DecodingMode.BEAM_SEARCH, 4)).wantedIds()[0]);
        assertNull(new GreedySearch(PROMPT, V, Unconstrained.INSTANCE, settings(1, DecodingMode.GREEDY, 4)).wantedIds()[0]);
        assertNull(new BeamSearch(PROMPT, V, c, settings(3, DecodingMode.BEAM_SAMPLE, 4)).wantedIds()[0]);
        assertNull(new GreedySearch(PROMPT, V, c, settings(1, DecodingMode.SAMPLE, 4)).wantedIds()[0]);
    }

    @Test
    void wholeRowsAreStillAcceptedAfterAskingForASelection() {
        Constraint c = trie(false);
        DecodingSettings s = settings(4, DecodingMode.BEAM_SEARCH, 8);
        BeamSearch asked = new BeamSearch(PROMPT, V, c, s);
        BeamSearch plain = new BeamSearch(PROMPT, V, c, s);
        SplittableRandom r = new SplittableRandom(5);
        while (!plain.isDone()) {
            assertNotNull(asked.wantedIds()[0]);
            float[][] rows = new float[plain.slotsNeedingLogits().length][];
            for (int i = 0; i < rows.length; i++) rows[i] = randomRow(r);
            Selection a = plain.step(rows);
            Selection b = asked.step(rows);
            assertArrayEquals(a.tokens(), b.tokens());
            assertArrayEquals(a.parents(), b.parents());
        }
        assertSameResult(plain.result(), asked.result());
    }

    @Test
    void aSelectionThatIsNotTheAllowedSetIsRefused() {
        Constraint c = trie(false);
        float[] row = randomRow(new SplittableRandom(9));
        int[] ids = allowed(c, new int[0]);
        assertTrue(ids.length > 2);
        int[] fewer = Arrays.copyOf(ids, ids.length - 1);
        int[] other = ids.clone();
        other[0] = 600;
        Arrays.sort(other);
        for (boolean askFirst : new boolean[] {false, true}) {
            for (int[] wrong : List.of(fewer, other)) {
                BeamSearch search = new BeamSearch(PROMPT, V, c, settings(3, DecodingMode.BEAM_SEARCH, 4));
                if (askFirst) search.wantedIds();
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> search.step(new LogitRow[] {LogitRow.select(row, wrong)}));
                assertTrue(e.getMessage().contains(Arrays.toString(wrong)), e.getMessage());
                assertTrue(e.getMessage().contains(Arrays.toString(ids)), e.getMessage());
            }
        }
        GreedySearch greedy = new GreedySearch(PROMPT, V, c, settings(1, DecodingMode.GREEDY, 4));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> greedy.step(new LogitRow[] {LogitRow.select(row, fewer)}));
        assertTrue(e.getMessage().contains("constraint allows " + Arrays.toString(ids)), e.getMessage());
    }

    @Test
    void aSelectedRowIsRefusedWhereTheWholeRowIsNeeded() {
        Constraint c = trie(false);
        float[] row = randomRow(new SplittableRandom(9));
        LogitRow some = LogitRow.select(row, allowed(c, new int[0]));
        BeamSearch unconstrained = new BeamSearch(PROMPT, V, Unconstrained.INSTANCE, settings(3, DecodingMode.BEAM_SEARCH, 4));
        assertThrows(IllegalStateException.class, () -> unconstrained.step(new LogitRow[] {some}));
        BeamSearch sampling = new BeamSearch(PROMPT, V, c, settings(3, DecodingMode.BEAM_SAMPLE, 4));
        assertThrows(IllegalStateException.class, () -> sampling.step(new LogitRow[] {some}));
        GreedySearch sample = new GreedySearch(PROMPT, V, c, settings(1, DecodingMode.SAMPLE, 4));
        assertThrows(IllegalStateException.class, () -> sample.step(new LogitRow[] {some}));
    }
}
