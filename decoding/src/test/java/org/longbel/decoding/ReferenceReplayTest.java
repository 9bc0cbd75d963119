package org.longbel.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.longbel.core.CausalLM;
import org.longbel.core.KvCache;
import org.longbel.kb.KnowledgeBase;
import org.longbel.kb.TokenTrie;
import org.longbel.tokenizer.Tokenizer;

/**
 * Replays the raw {@code generate} outputs the reference wrapper recorded on {@code tiny-llama32}
 * (golden/tiny-llama32/reference): the recorded prompt ids through the real forward, our KB trie and
 * our search, compared with the fixture README's tolerances: generated ids exact (live ranks; near
 * ties in either order), {@code sequences_score} within 2e-3, the same number of dead ranks all with
 * beam score 0.0, and the wrapper's {@code score} within 2e-3 in log space (exactly 0.0 where it is 0.0).
 * Because {@link TorchTopK} follows torch's CPU tie order, the dead ranks are also compared exactly.
 */
class ReferenceReplayTest {

    private static final double TOLERANCE = 2e-3;

    private static CausalLM model;
    /** The checkpoint's search ids and the ids of "}" and "<+>", from its tokenizer and generation config. */
    private static SpecialIds ids;
    private static int closeBrace;
    private static int plus;

    @BeforeAll
    static void load() throws IOException {
        model = Fixtures.tinyLlama();
        Path dir = Fixtures.root().resolve("models/tiny-llama32");
        Tokenizer tokenizer = Tokenizer.fromDirectory(dir);
        ids = SpecialIds.resolve(tokenizer, GenerationConfig.readCheckpoint(dir));
        closeBrace = tokenizer.tokenToId("}");
        plus = tokenizer.tokenToId("<+>");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @ParameterizedTest
    @CsvSource({
        "seed_beam5_saliency.json, models/tiny-llama32/text_to_code.json",
        "crafted_beam5_saliency.json, kb/crafted_text_to_code.json",
        "crafted002_beam5_multiple_answers.json, kb/crafted_text_to_code.json",
        "seed_greedy.json, models/tiny-llama32/text_to_code.json",
        "crafted_greedy.json, kb/crafted_text_to_code.json",
        "seed_unconstrained_beam3.json, models/tiny-llama32/text_to_code.json",
    })
    void replay(String file, String kbFile) throws IOException {
        Path fixtures = Fixtures.root();
        JsonNode ref = Fixtures.json("golden/tiny-llama32/reference/" + file);
        JsonNode settings = ref.get("settings");
        int beams = settings.get("num_beams").intValue();
        boolean constrained = settings.get("constrained").booleanValue();
        boolean multipleAnswers = settings.get("multiple_answers").booleanValue();
        Map<String, int[]> prompts = new HashMap<>();
        for (JsonNode p : ref.get("prompts")) prompts.put(p.get("mention_id").textValue(), Fixtures.ints(p.get("ids")));
        Map<String, List<JsonNode>> records = new HashMap<>();
        for (JsonNode r : ref.get("records")) records.computeIfAbsent(r.get("mention_id").textValue(), k -> new ArrayList<>()).add(r);

        DecodingSettings s = DecodingSettings.longBelBeamSearch(ids, beams);
        int vocab = model.config().vocabSize();
        try (KnowledgeBase kb = KnowledgeBase.load(fixtures.resolve(kbFile), fixtures.resolve("models/tiny-llama32"));
             KvCache cache = model.newCache(Fixtures.BLOCK, Fixtures.KV_BUDGET)) {
            for (JsonNode g : ref.get("generate")) {
                String id = g.get("mention_id").textValue();
                int[] prompt = prompts.get(id);
                List<JsonNode> recs = records.get(id);
                String group = recs.get(0).get("semantic_group").textValue();
                Constraint c = constrained
                        ? new TrieConstraint(kb.trie(group), ids.eos(), ids.pad(), multipleAnswers, closeBrace, plus)
                        : Unconstrained.INSTANCE;
                DecodingResult r = new Generator(model, cache)
                        .run(prompt, Decoding.newSearch(prompt, vocab, c, s));
                compare(file + " " + id, g, recs, r, beams);
            }
        }
    }

    /**
     * The checkpoint's default (beam sampling, T = 0.6, top-p 0.9): random-number dependent, so only
     * structure and plausibility. Every live hypothesis is a KB name with a tempered score; for 001.1,
     * whose group has 3 names (fewer than 5 beams), sampling finds all of them, so its live ranks equal
     * the reference's, and both have 2 dead ranks.
     */
    @Test
    void beamSamplingIsPlausible() throws IOException {
        Path fixtures = Fixtures.root();
        JsonNode ref = Fixtures.json("golden/tiny-llama32/reference/seed_beam5_sampling_seed0.json");
        Map<String, int[]> prompts = new HashMap<>();
        for (JsonNode p : ref.get("prompts")) prompts.put(p.get("mention_id").textValue(), Fixtures.ints(p.get("ids")));
        Map<String, String> groups = new HashMap<>();
        for (JsonNode r : ref.get("records")) groups.put(r.get("mention_id").textValue(), r.get("semantic_group").textValue());
        DecodingSettings s = GenerationConfig.readCheckpoint(fixtures.resolve("models/tiny-llama32")).longBelSettings(ids, 5, false, 0);
        float temperature = (float) s.sampling().temperature();
        try (KnowledgeBase kb = KnowledgeBase.load(fixtures.resolve("models/tiny-llama32/text_to_code.json"), fixtures.resolve("models/tiny-llama32"));
             KvCache cache = model.newCache(Fixtures.BLOCK, Fixtures.KV_BUDGET)) {
            for (JsonNode g : ref.get("generate")) {
                String id = g.get("mention_id").textValue();
                int[] prompt = prompts.get(id);
                TokenTrie trie = kb.trie(groups.get(id));
                Constraint c = new TrieConstraint(trie, ids.eos(), ids.pad(), false, closeBrace, plus);
                DecodingResult r = new Generator(model, cache).run(prompt, Decoding.newSearch(prompt, model.config().vocabSize(), c, s));
                assertEquals(DecodingMode.BEAM_SAMPLE, r.mode());
                int dead = 0;
                for (Hypothesis h : r.hypotheses()) {
                    if (h.isDead()) {
                        dead++;
                        continue;
                    }
                    int node = trie.child(trie.root(), closeBrace);
                    for (int t : h.tokens()) node = trie.child(node, t);
                    assertTrue(node != TokenTrie.NO_NODE && trie.entryAt(node) >= 0, id + ": a KB name");
                    float sum = 0f;
                    for (float v : h.tokenLogprobs()) {
                        assertTrue(v * temperature <= 0f, "a tempered log-probability");
                        sum += v;
                    }
                    assertEquals(sum / h.length(), h.sequencesScore(), id + ": tempered mean");
                }
                if (id.equals("001.1")) {
                    assertEquals(g.get("dead_ranks").size(), dead);
                    for (int i = 0; i < 3; i++) {
                        JsonNode row = g.get("rows").get(i);
                        assertArrayEquals(Fixtures.ints(row.get("ids")), r.hypotheses().get(i).tokens());
                        assertEquals(row.get("sequences_score").doubleValue(), r.hypotheses().get(i).sequencesScore(), TOLERANCE / temperature);
                    }
                }
            }
        }
    }

    private static void compare(String label, JsonNode g, List<JsonNode> recs, DecodingResult r, int beams) {
        JsonNode rows = g.get("rows");
        Set<Integer> dead = new HashSet<>();
        if (g.has("dead_ranks")) for (JsonNode d : g.get("dead_ranks")) dead.add(d.intValue() - 1);
        Map<Integer, Set<Integer>> nearTies = new HashMap<>();
        if (g.has("near_tie_ranks")) {
            for (JsonNode group : g.get("near_tie_ranks")) {
                Set<Integer> ranks = new HashSet<>();
                for (JsonNode rank : group) ranks.add(rank.intValue() - 1);
                for (int rank : ranks) nearTies.put(rank, ranks);
            }
        }
        int ourDead = 0;
        for (Hypothesis h : r.hypotheses()) if (beams > 1 && h.isDead()) ourDead++;
        assertEquals(dead.size(), ourDead, label + ": number of dead ranks");
        for (int i = 0; i < beams; i++) {
            Hypothesis h = r.hypotheses().get(i);
            String at = label + " rank " + (i + 1);
            JsonNode row = rows.get(i);
            if (dead.contains(i)) {
                assertEquals(0.0, h.beamScore(), at + ": dead rank prints beam_score 0.0");
                // stricter than the README asks: TorchTopK reproduces torch's order of the tied dead entries
                assertArrayEquals(Fixtures.ints(row.get("ids")), h.tokens(), at + ": dead rank ids");
                assertEquals(row.get("sequences_score").doubleValue(), h.sequencesScore(), at + ": dead rank score");
                continue;
            }
            int[] ids = Fixtures.ints(row.get("ids"));
            if (nearTies.containsKey(i)) {
                boolean found = false;
                for (int j : nearTies.get(i)) found |= Arrays.equals(Fixtures.ints(rows.get(j).get("ids")), h.tokens());
                assertTrue(found, at + ": one of its near-tie group");
            } else {
                assertArrayEquals(ids, h.tokens(), at + ": generated ids");
            }
            if (beams > 1) {
                if (!nearTies.containsKey(i)) {
                    assertEquals(row.get("sequences_score").doubleValue(), h.sequencesScore(), TOLERANCE, at + ": sequences_score");
                    assertEquals(Math.log(recs.get(i).get("beam_score").doubleValue()), Math.log(h.beamScore()), TOLERANCE, at);
                }
            } else {
                assertTrue(Double.isNaN(h.beamScore()));
                JsonNode renorm = row.get("token_logprobs_renormalised");
                for (int t = 0; t < ids.length; t++) assertEquals(renorm.get(t).doubleValue(), h.renormalised()[t], TOLERANCE, at);
            }
            if (nearTies.containsKey(i)) continue;
            double want = recs.get(i).get("score").doubleValue();
            if (want == 0.0) assertEquals(0.0, h.compatScore(), at + ": the wrapper's score is exactly 0.0");
            else assertEquals(Math.log(want), Math.log(h.compatScore()), TOLERANCE, at + ": the wrapper's score");
        }
    }
}
