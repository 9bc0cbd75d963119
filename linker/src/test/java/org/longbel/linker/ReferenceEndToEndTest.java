package org.longbel.linker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.longbel.core.LlamaModel;
import org.longbel.decoding.Constraint;
import org.longbel.decoding.DecodingMode;
import org.longbel.decoding.DecodingResult;
import org.longbel.decoding.GenerationConfig;
import org.longbel.decoding.Hypothesis;
import org.longbel.decoding.SpecialIds;
import org.longbel.kb.KnowledgeBase;
import org.longbel.linker.document.Page;
import org.longbel.linker.input.BigBioReader;
import org.longbel.linker.output.ConceptIndex;
import org.longbel.linker.output.Prediction;
import org.longbel.linker.output.PredictionMapper;
import org.longbel.linker.prompt.Mention;
import org.longbel.tokenizer.Tokenizer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on {@code tiny-llama32} against the reference wrapper's own outputs, with the fixture
 * README's tolerances: prompts identical; live ranks: generated ids, names, codes identical (near-tie
 * ranks in either order), beam scores within 2e-3 in log space; dead ranks: same count, printed 0.0.
 */
class ReferenceEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double LOG_TOL = 2e-3;
    private static LlamaModel model;
    private static Tokenizer tokenizer;
    private static GenerationConfig generation;
    private static SpecialIds specialIds;

    @BeforeAll
    static void load() throws IOException {
        model = LlamaModel.load(Fixtures.tinyModel(), 2);
        tokenizer = Tokenizer.fromDirectory(Fixtures.tinyModel());
        generation = GenerationConfig.readCheckpoint(Fixtures.tinyModel());
        specialIds = SpecialIds.resolve(tokenizer, generation);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** One mention as this project linked it. */
    record Linked(Mention mention, PromptRecord prompt, DecodingResult decoded, List<Prediction> predictions) {
    }

    private static final Map<String, List<Linked>> RUNS = new HashMap<>();

    /** Links the pages of {@code pagesFile} (only {@code pageId} when not null); runs are memoised. */
    static List<Linked> run(String pagesFile, String pageId, String kbFile, SampleOptions options) {
        return RUNS.computeIfAbsent(pagesFile + "|" + pageId + "|" + kbFile + "|" + options,
                k -> link(pagesFile, pageId, kbFile, options));
    }

    static List<Linked> run(String pagesFile, String kbFile, SampleOptions options) {
        return run(pagesFile, null, kbFile, options);
    }

    private static List<Linked> link(String pagesFile, String pageId, String kbFile, SampleOptions options) {
        List<Page> pages = new BigBioReader().read(Fixtures.path(pagesFile)).stream()
                .filter(p -> pageId == null || p.id().equals(pageId)).toList();
        try (KnowledgeBase kb = KnowledgeBase.load(Fixtures.path(kbFile), Fixtures.tinyModel())) {
            DocumentLinker linker = new DocumentLinker(PromptCodec.of(tokenizer, specialIds), ConceptIndex.of(kb), options);
            List<Linked> out = new ArrayList<>();
            for (Page page : pages) {
                Map<String, DecodingResult> decoded = new HashMap<>();
                Map<String, PromptRecord> prompts = new HashMap<>();
                try (ModelDecoder modelDecoder = new ModelDecoder(model, generation, specialIds, options, 16, 1L << 28)) {
                    MentionDecoder recording = new MentionDecoder() {
                        @Override
                        public DecodingResult decode(int[] ids, Constraint c, long seed, CancellationToken cancel) {
                            DecodingResult r = modelDecoder.decode(ids, c, seed, cancel);
                            decoded.put(Integer.toString(decoded.size()), r);
                            return r;
                        }

                        @Override
                        public int maxPositions() {
                            return modelDecoder.maxPositions();
                        }
                    };
                    linker.link(page, recording, new LinkListener() {
                        @Override
                        public void onPrompt(PromptRecord p) {
                            prompts.put(p.mentionId(), p);
                        }

                        @Override
                        public void onMention(Mention m, List<Prediction> ps) {
                            out.add(new Linked(m, prompts.get(m.mentionId()),
                                    decoded.get(Integer.toString(decoded.size() - 1)), ps));
                        }
                    }, new CancellationToken());
                }
            }
            return out;
        }
    }

    static JsonNode reference(String file) throws IOException {
        return JSON.readTree(Fixtures.path("golden/tiny-llama32/reference/" + file).toFile());
    }

    /** Compares every mention with the reference file; returns the number of live ranks checked. */
    static int compare(List<Linked> linked, JsonNode ref, boolean compat, int beams) {
        Map<String, JsonNode> prompts = new HashMap<>();
        Map<String, JsonNode> generate = new HashMap<>();
        Map<String, List<JsonNode>> records = new LinkedHashMap<>();
        for (JsonNode p : ref.get("prompts")) prompts.put(p.get("mention_id").asText(), p);
        for (JsonNode g : ref.get("generate")) generate.put(g.get("mention_id").asText(), g);
        for (JsonNode r : ref.get("records")) {
            records.computeIfAbsent(r.get("mention_id").asText(), k -> new ArrayList<>()).add(r);
        }
        assertEquals(records.keySet(), linkedIds(linked));
        int live = 0;
        for (Linked l : linked) {
            String id = l.mention().mentionId();
            assertEquals(prompts.get(id).get("text").asText(), l.prompt().text(), id);
            assertArrayEquals(JSON.convertValue(prompts.get(id).get("ids"), int[].class), l.prompt().ids(), id);
            JsonNode gen = generate.get(id);
            Set<Integer> dead = new HashSet<>();
            gen.path("dead_ranks").forEach(d -> dead.add(d.asInt()));
            Set<Integer> tied = new HashSet<>();
            gen.path("near_tie_ranks").forEach(group -> group.forEach(r -> tied.add(r.asInt())));
            List<JsonNode> refRecords = records.get(id);
            assertEquals(beams, l.predictions().size(), id);
            int ourDead = 0;
            for (int rank = 1; rank <= beams; rank++) {
                Prediction p = l.predictions().get(rank - 1);
                Hypothesis h = l.decoded().hypotheses().get(rank - 1);
                JsonNode r = refRecords.get(rank - 1);
                JsonNode row = gen.get("rows").get(rank - 1);
                assertEquals(r.get("mention").asText(), p.mention(), id);
                assertEquals(r.get("doc_id").asText(), p.docId(), id);
                assertEquals(r.get("start_span").asInt(), p.startSpan(), id);
                assertEquals(r.get("end_span").asInt(), p.endSpan(), id);
                assertEquals(r.get("semantic_group").asText(), p.semanticGroup(), id);
                assertEquals(text(r.get("gold_concept_code")), p.goldCode(), id);
                assertEquals(text(r.get("gold_concept_name")), p.goldName(), id);
                assertEquals(rank, p.rank());
                if (beams > 1 && h.isDead()) ourDead++;
                if (dead.contains(rank)) {
                    assertEquals(0.0, p.beamScore(), id + " rank " + rank);
                    continue;
                }
                if (tied.contains(rank)) continue;
                live++;
                String where = id + " rank " + rank;
                assertArrayEquals(JSON.convertValue(row.get("ids"), int[].class), h.tokens(), where);
                if (beams > 1) {
                    assertEquals(row.get("sequences_score").asDouble(), Math.log(p.beamScore()), LOG_TOL, where);
                } else {
                    assertTrue(Double.isNaN(p.beamScore()) && r.get("beam_score").isNull(), where);
                }
                if (compat) {
                    assertEquals(r.get("pred_concept_name").asText(), p.predName(), where);
                    assertEquals(sortedCodes(r.get("pred_concept_code").asText()), p.predCode(), where);
                    double refScore = r.get("score").asDouble();
                    if (refScore == 0.0) assertEquals(0.0, p.score(), where);
                    else assertEquals(Math.log(refScore), Math.log(p.score()), LOG_TOL, where);
                }
            }
            assertEquals(dead.size(), ourDead, id + " dead ranks");
        }
        return live;
    }

    private static Set<String> linkedIds(List<Linked> linked) {
        Set<String> ids = new java.util.LinkedHashSet<>();
        for (Linked l : linked) ids.add(l.mention().mentionId());
        return ids;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String sortedCodes(String codes) {
        return String.join("+", new java.util.TreeSet<>(List.of(codes.split("\\+"))));
    }

    private static SampleOptions beamSearch(int beams) {
        return SampleOptions.defaults().withNumBeams(beams).withDeterministic(true);
    }

    @Test
    void seedBeamSearchReferenceCompatible() throws IOException {
        List<Linked> linked = run("examples/seed_example.json", "models/tiny-llama32/text_to_code.json",
                beamSearch(5).withReferenceCompat(true));
        assertEquals(DecodingMode.BEAM_SEARCH, linked.getFirst().decoded().mode());
        assertEquals(18, compare(linked, reference("seed_beam5_saliency.json"), true, 5));
    }

    @Test
    void craftedBeamSearchReferenceCompatible() throws IOException {
        List<Linked> linked = run("examples/crafted_pages.json", "kb/crafted_text_to_code.json",
                beamSearch(5).withReferenceCompat(true));
        assertTrue(compare(linked, reference("crafted_beam5_saliency.json"), true, 5) > 90);
    }

    @Test
    void craftedDefaultOutputUsesTrieLeaves() throws IOException {
        // the decoding (and so the memory) does not depend on the output mode: map the same hypotheses
        List<Linked> linked = run("examples/crafted_pages.json", "kb/crafted_text_to_code.json",
                beamSearch(5).withReferenceCompat(true));
        JsonNode kb = JSON.readTree(Fixtures.path("kb/crafted_text_to_code.json").toFile());
        boolean sawPainChest = false;
        List<Linked> remapped = new ArrayList<>();
        try (KnowledgeBase k = KnowledgeBase.load(Fixtures.path("kb/crafted_text_to_code.json"), Fixtures.tinyModel())) {
            PredictionMapper mapper = new PredictionMapper(ConceptIndex.of(k), PromptCodec.of(tokenizer, specialIds).tokenIds(),
                    false, false);
            for (Linked l : linked) {
                remapped.add(new Linked(l.mention(), l.prompt(), l.decoded(),
                        mapper.map(l.mention(), l.decoded(), 5, h -> { throw new AssertionError("no text parse"); })));
            }
        }
        compare(remapped, reference("crafted_beam5_saliency.json"), false, 5);
        for (Linked l : remapped) {
            for (Prediction p : l.predictions()) {
                // every constrained prediction is an exact KB name with its code
                assertEquals(kb.get(p.semanticGroup()).get(p.predName()).asText(), p.predCode(), p.mentionId());
                if (p.predName().equals("Pain , chest")) sawPainChest = true;
            }
        }
        assertTrue(sawPainChest, "the name the text parse breaks ('Pain , chest') comes back exactly");
    }

    @Test
    void greedyMatchesTheReference() throws IOException {
        assertTrue(compare(run("examples/seed_example.json", "models/tiny-llama32/text_to_code.json",
                beamSearch(1).withReferenceCompat(true)), reference("seed_greedy.json"), true, 1) == 4);
        assertTrue(compare(run("examples/crafted_pages.json", "kb/crafted_text_to_code.json",
                beamSearch(1).withReferenceCompat(true)), reference("crafted_greedy.json"), true, 1) == 25);
    }

    @Test
    void multipleAnswersMatchTheReference() throws IOException {
        List<Linked> linked = run("examples/crafted_pages.json", "crafted-002", "kb/crafted_text_to_code.json",
                beamSearch(5).withReferenceCompat(true).withMultipleAnswers(true));
        compare(linked, reference("crafted002_beam5_multiple_answers.json"), true, 5);
    }

    @Test
    void unconstrainedMatchesTheReference() throws IOException {
        List<Linked> linked = run("examples/seed_example.json", "models/tiny-llama32/text_to_code.json",
                beamSearch(3).withConstrained(false).withReferenceCompat(true));
        compare(linked, reference("seed_unconstrained_beam3.json"), true, 3);
    }

    @Test
    void checkpointDefaultIsBeamSampling() {
        List<Linked> linked = run("examples/seed_example.json", "models/tiny-llama32/text_to_code.json",
                SampleOptions.defaults().withSeed(0));
        assertEquals(4, linked.size());
        for (Linked l : linked) {
            assertEquals(DecodingMode.BEAM_SAMPLE, l.decoded().mode());
            assertEquals(5, l.predictions().size());
            assertNotEquals(Prediction.NO_PREDICTION, l.predictions().getFirst().predName());
            for (Prediction p : l.predictions()) {
                // beam_score is tempered like the reference's; the extra field undoes the temperature 0.6
                double expected = Math.pow(p.beamScore(), 0.6);
                assertEquals(expected, p.untemperedBeamScore(), 1e-5 * expected, p.mentionId());
            }
        }
    }

    @Test
    void realUmlsNamesSample() {
        List<Linked> linked = run("examples/seed_example.json", "kb/umls_names_sample_text_to_code.json", beamSearch(5));
        assertEquals(4, linked.size());
        for (Linked l : linked) {
            for (Prediction p : l.predictions()) {
                if (p.beamScore() == 0.0) continue; // dead rank
                assertNotEquals(Prediction.NO_CODE, p.predCode(), p.mentionId() + " " + p.predName());
            }
        }
    }
}
