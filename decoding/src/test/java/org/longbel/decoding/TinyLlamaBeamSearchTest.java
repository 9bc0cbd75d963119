package org.longbel.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.longbel.core.CausalLM;
import org.longbel.core.KvCache;
import org.longbel.core.LogSoftmax;

/**
 * Beam search and greedy search on the real forward of {@code tiny-llama32}: exhaustive equivalence
 * with brute-force teacher-forced scoring (candidates.json), the golden greedy ids, and the driver's
 * KV bookkeeping (prompt prefilled once, every sequence freed).
 */
class TinyLlamaBeamSearchTest {

    static final int CLOSE = 92;
    static final int EOS = 128009;
    static final int BOS = 128000;
    static final int SEP = 128256;
    /** tiny-llama32's ids: bos, eos = pad = {@code <|eot_id|>} (its generation config sets no pad). */
    static final SpecialIds IDS = new SpecialIds(BOS, EOS, EOS);

    static CausalLM model;
    static JsonNode candidates;

    @BeforeAll
    static void load() throws IOException {
        model = Fixtures.tinyLlama();
        candidates = Fixtures.json("golden/tiny-llama32/candidates.json");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** A candidate name scored by teacher forcing: one forward over prompt + name, full-vocabulary log-softmax. */
    record Scored(int index, int[] ids, float[] tokenLogprobs, float score) {}

    static Scored teacherForced(int index, int[] prompt, int[] ids) {
        try (KvCache cache = model.newCache(Fixtures.BLOCK, Fixtures.KV_BUDGET)) {
            int seq = cache.newSequence();
            int[] input = new int[prompt.length + ids.length - 1];
            System.arraycopy(prompt, 0, input, 0, prompt.length);
            System.arraycopy(ids, 0, input, prompt.length, ids.length - 1);
            int[] at = new int[ids.length];
            for (int j = 0; j < ids.length; j++) at[j] = prompt.length - 1 + j;
            float[][] rows = model.forward(cache, new int[] {seq}, new int[][] {input}, new int[][] {at})[0];
            float[] lp = new float[ids.length];
            float sum = 0f;
            for (int j = 0; j < ids.length; j++) {
                lp[j] = LogSoftmax.normalizer(rows[j]).apply(rows[j][ids[j]]);
                sum += lp[j];
            }
            return new Scored(index, ids, lp, sum / ids.length);
        }
    }

    /** The trie constraint over {@code names} (each name's ids, eos included), keys starting with {@code }}. */
    static Constraint nameConstraint(List<int[]> names) {
        List<int[]> keys = new ArrayList<>();
        for (int[] ids : names) {
            int[] key = new int[ids.length + 1];
            key[0] = CLOSE;
            System.arraycopy(ids, 0, key, 1, ids.length);
            keys.add(key);
        }
        return new TrieConstraint(MapTrie.of(keys), EOS, EOS, false, CLOSE, SEP);
    }

    static DecodingResult constrainedBeamSearch(int[] prompt, List<int[]> names, int beams) {
        Constraint c = nameConstraint(names);
        try (KvCache cache = model.newCache(Fixtures.BLOCK, Fixtures.KV_BUDGET)) {
            DecodingSettings s = DecodingSettings.longBelBeamSearch(IDS, beams);
            DecodingResult r = new Generator(model, cache).run(prompt, new BeamSearch(prompt, model.config().vocabSize(), c, s));
            assertEquals(0, cache.bytesInUse(), "every KV sequence is freed");
            return r;
        }
    }

    /** Groups of at most K = 5 names; several share a first token (trie branches). */
    static final int[][] GROUPS = {{0, 1, 2, 3, 4}, {3, 4, 5, 6, 7}, {0, 3, 6}, {2, 7}, {5}, {0, 2, 4, 6, 7}};

    @Test
    void constrainedBeamSearchEqualsBruteForceRanking() {
        int[] prompt = Fixtures.ints(candidates.get("prompt_ids"));
        JsonNode all = candidates.get("candidates");
        for (int[] group : GROUPS) {
            List<Scored> brute = new ArrayList<>();
            List<int[]> names = new ArrayList<>();
            for (int g : group) {
                int[] ids = Fixtures.ints(all.get(g).get("ids"));
                names.add(ids);
                Scored s = teacherForced(g, prompt, ids);
                // the independent float64 golden values
                JsonNode golden = all.get(g).get("token_logprobs");
                for (int j = 0; j < ids.length; j++) assertEquals(golden.get(j).doubleValue(), s.tokenLogprobs()[j], 1e-3);
                brute.add(s);
            }
            brute.sort(Comparator.comparingDouble((Scored s) -> -s.score()));
            DecodingResult r = constrainedBeamSearch(prompt, names, 5);
            String label = "group " + Arrays.toString(group);
            for (int i = 0; i < 5; i++) {
                Hypothesis h = r.hypotheses().get(i);
                if (i < brute.size()) {
                    assertArrayEquals(brute.get(i).ids(), h.tokens(), label + " rank " + i);
                    assertEquals(brute.get(i).score(), h.sequencesScore(), 1e-4, label + " rank " + i + " score");
                    double goldenMean = all.get(brute.get(i).index()).get("sum_logprob").doubleValue() / h.length();
                    assertEquals(goldenMean, h.sequencesScore(), 1e-3, label + " rank " + i + " golden score");
                } else {
                    assertTrue(h.isDead(), label + " rank " + i + " is a dead rank (fewer names than beams)");
                    assertEquals(0.0, h.beamScore());
                }
            }
        }
    }

    @Test
    void greedyMatchesTheGoldenIds() throws IOException {
        JsonNode g = Fixtures.json("golden/tiny-llama32/greedy.json");
        int[] prompt = Fixtures.ints(g.get("prompt_ids"));
        int[] expected = Fixtures.ints(g.get("generated_ids"));
        DecodingSettings s = new DecodingSettings(1, 1, new int[] {EOS}, EOS, BOS, expected.length,
                EarlyStopping.FALSE, 1.0, DecodingMode.GREEDY, SamplingSettings.HF_DEFAULT);
        try (KvCache cache = model.newCache(Fixtures.BLOCK, Fixtures.KV_BUDGET)) {
            DecodingResult r = new Generator(model, cache).run(prompt,
                    new GreedySearch(prompt, model.config().vocabSize(), Unconstrained.INSTANCE, s));
            assertArrayEquals(expected, r.hypotheses().get(0).tokens());
        }
    }

    @Test
    void thePromptIsPrefilledOnceAndBeamsFollowTheirParents() {
        int[] prompt = Fixtures.ints(candidates.get("prompt_ids"));
        JsonNode all = candidates.get("candidates");
        List<int[]> names = new ArrayList<>();
        for (int g = 0; g < 5; g++) names.add(Fixtures.ints(all.get(g).get("ids")));
        CountingLm counting = new CountingLm(model);
        Constraint c = nameConstraint(names);
        try (KvCache cache = model.newCache(Fixtures.BLOCK, Fixtures.KV_BUDGET)) {
            DecodingResult r = new Generator(counting, cache).run(prompt,
                    new BeamSearch(prompt, model.config().vocabSize(), c, DecodingSettings.longBelBeamSearch(IDS, 5)));
            assertEquals(prompt.length + 5 * (r.steps() - 1), counting.tokens, "prompt once, then one token per beam per step");
            assertEquals(r.steps(), counting.calls);
            assertEquals(0, cache.bytesInUse());
            // same result as without the counting wrapper
            assertArrayEquals(constrainedBeamSearch(prompt, names, 5).hypotheses().get(0).tokens(), r.hypotheses().get(0).tokens());
        }
    }

    @Test
    void everySequenceIsFreedWhenTheSearchFails() {
        int[] prompt = Fixtures.ints(candidates.get("prompt_ids"));
        // allows any token for two steps, then nothing: the search throws in its third step
        Constraint failing = (p, generated, length, out) -> length < 2 ? Constraint.ALL : 0;
        try (KvCache cache = model.newCache(Fixtures.BLOCK, Fixtures.KV_BUDGET)) {
            BeamSearch search = new BeamSearch(prompt, model.config().vocabSize(), failing, DecodingSettings.longBelBeamSearch(IDS, 5));
            DecodingException e = org.junit.jupiter.api.Assertions.assertThrows(DecodingException.class,
                    () -> new Generator(model, cache).run(prompt, search));
            assertTrue(e.getMessage().contains("unsatisfiable"), e.getMessage());
            assertEquals(0, cache.bytesInUse(), "no KV block left behind");
        }
    }

    /** Counts forwarded tokens and calls. */
    static final class CountingLm implements CausalLM {
        final CausalLM inner;
        int tokens;
        int calls;

        CountingLm(CausalLM inner) {
            this.inner = inner;
        }

        @Override
        public org.longbel.core.ModelConfig config() {
            return inner.config();
        }

        @Override
        public KvCache newCache(int blockSize, long budgetBytes) {
            return inner.newCache(blockSize, budgetBytes);
        }

        @Override
        public float[][][] forward(KvCache cache, int[] seqs, int[][] tokens, int[][] logitIndices) {
            calls++;
            for (int[] t : tokens) this.tokens += t.length;
            return inner.forward(cache, seqs, tokens, logitIndices);
        }

        @Override
        public void close() {}
    }
}
