package org.longbel.linker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.longbel.core.CausalLM;
import org.longbel.linker.document.Page;
import org.longbel.linker.input.BigBioReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Saliency maps (reference spec §7) against the reference wrapper's own {@code saliency_maps}: the rendering of its
 * scores, and every non-numerical field of a run with fake gradient norms; the numbers themselves wait for the
 * model's backward pass.
 */
class SaliencyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[][] FILES = {
            {"seed_beam5_saliency.json", "examples/seed_example.json", "models/tiny-llama32/text_to_code.json"},
            {"crafted_beam5_saliency.json", "examples/crafted_pages.json", "kb/crafted_text_to_code.json"}};
    /** The reference files' settings: 5 beams, constrained, deterministic; the wrapper's parse and score. */
    private static final SampleOptions OPTIONS = SampleOptions.defaults().withDeterministic(true)
            .withReferenceCompat(true).withSaliency(true);

    private static JsonNode reference(String file) throws IOException {
        return JSON.readTree(Fixtures.path("golden/tiny-llama32/reference/" + file).toFile());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) out.add(n.asText());
        return out;
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asDouble();
        return out;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    @Test
    void renderingTheReferenceScoresGivesTheReferenceAnsiAndHtml() throws IOException {
        int maps = 0;
        for (String[] f : FILES) {
            for (JsonNode m : reference(f[0]).get("saliency_maps")) {
                List<String> tokens = strings(m.get("token_strings"));
                double[] scores = doubles(m.get("saliency_scores"));
                String id = m.get("mention_id").asText();
                assertEquals(m.get("saliency_ansi").asText(), SaliencyMap.ansi(tokens, scores), id);
                assertEquals(m.get("saliency_html").asText(), SaliencyMap.html(tokens, scores), id);
                maps++;
            }
        }
        assertEquals(29, maps);
    }

    @Test
    void escapingIsPythonsHtmlEscape() {
        assertEquals("&lt;|begin_of_text|&gt; &amp;amp; &quot;a&quot; &#x27;s", SaliencyMap.escapeHtml("<|begin_of_text|> &amp; \"a\" 's"));
        assertEquals(255, SaliencyMap.fade(-0.5));
        assertEquals(0, SaliencyMap.fade(1.5));
        assertEquals(127, SaliencyMap.fade(0.5)); // 127.5 truncated
        assertEquals("<span style=\"background-color: rgb(255, 0, 0);\">&lt;b&gt;</span>", SaliencyMap.span("<b>", 1.0));
        assertArrayEquals(new double[] {0.5, 1.0}, SaliencyMap.normalise(new double[] {1, 2, 9}, 2));
        assertArrayEquals(new double[] {0.0, 0.0}, SaliencyMap.normalise(new double[] {0, 0, 9}, 2)); // max >= 1e-12
    }

    /** Fake gradient norms: a deterministic function of position and token, recording each call's arguments. */
    static final class FakeNorms extends DelegatingModel {
        final List<int[]> excluded = new ArrayList<>();
        final List<int[]> masked = new ArrayList<>();
        final AtomicInteger calls = new AtomicInteger();

        FakeNorms(CausalLM inner) {
            super(inner);
        }

        @Override
        public double[] inputGradientNorms(int[] ids, int promptLength, int[] excludedTargets, int[] maskedKeys) {
            calls.incrementAndGet();
            synchronized (this) {
                excluded.add(excludedTargets.clone());
                masked.add(maskedKeys.clone());
            }
            return fakeNorms(ids);
        }

        static double[] fakeNorms(int[] ids) {
            double[] out = new double[ids.length];
            for (int i = 0; i < ids.length; i++) out[i] = 0.5 + ((ids[i] * 31L + i * 7L) % 97) / 10.0;
            return out;
        }
    }

    private static List<MentionResult> link(String[] f, SampleOptions options, java.util.function.UnaryOperator<CausalLM> wrap) {
        List<Page> pages = new BigBioReader().read(Fixtures.path(f[1]));
        try (LongBel longBel = LongBel.load(Fixtures.tinyModel(), LongBelOptions.defaults().withComputeThreads(2)
                .withKnowledgeBase(Fixtures.path(f[2])), wrap)) {
            return longBel.sample(pages, options);
        }
    }

    /**
     * With fake norms, every field but the numbers is the reference's: token ids and strings, prompt text, the top
     * beam's generated ids (the reference's rank-1 {@code generate} row), name, code, score (the wrapper's, under
     * {@code referenceCompat}), rank and mention fields; the scores are the fake norms normalised.
     */
    @Test
    void fieldsMatchTheReferenceWithFakeNorms() throws IOException {
        int checked = 0;
        for (String[] f : FILES) {
            JsonNode ref = reference(f[0]);
            Map<String, JsonNode> expected = new HashMap<>();
            for (JsonNode m : ref.get("saliency_maps")) expected.put(m.get("mention_id").asText(), m);
            Map<String, JsonNode> generate = new HashMap<>();
            for (JsonNode g : ref.get("generate")) generate.put(g.get("mention_id").asText(), g);
            FakeNorms[] fake = new FakeNorms[1];
            List<MentionResult> results = link(f, OPTIONS, m -> fake[0] = new FakeNorms(m));
            assertEquals(expected.size(), results.size());
            assertEquals(results.size(), fake[0].calls.get());
            for (int[] ex : fake[0].excluded) {
                assertEquals(List.of(128000, 128001, 128008, 128009),
                        Arrays.stream(ex).sorted().boxed().toList(), "pad = eos, the checkpoint's eos ids, bos");
            }
            for (int[] mk : fake[0].masked) assertArrayEquals(new int[] {128009}, mk);
            for (MentionResult r : results) {
                SaliencyMap s = r.saliency();
                assertNotNull(s, r.mention().mentionId());
                JsonNode e = expected.get(s.mentionId());
                String id = s.mentionId();
                assertEquals(e.get("input_sentence").asText(), s.inputSentence(), id);
                assertArrayEquals(ints(e.get("token_ids")), s.tokenIds(), id);
                assertEquals(strings(e.get("token_strings")), s.tokenStrings(), id);
                assertArrayEquals(ints(generate.get(id).get("rows").get(0).get("ids")), s.generatedIds(), id);
                assertEquals(e.get("pred_concept_name").asText(), s.predName(), id);
                assertEquals(e.get("pred_concept_code").asText(), s.predCode(), id);
                assertEquals(e.get("score").asDouble(), s.score(), 1e-4, id);
                assertEquals(1, s.rank());
                assertEquals(e.get("mention").asText(), s.mention(), id);
                assertEquals(e.get("doc_id").asText(), s.docId(), id);
                assertEquals(e.get("start_span").asInt(), s.startSpan(), id);
                assertEquals(e.get("end_span").asInt(), s.endSpan(), id);
                assertEquals(e.get("semantic_group").asText(), s.semanticGroup(), id);
                int[] all = new int[s.tokenIds().length + s.generatedIds().length];
                System.arraycopy(s.tokenIds(), 0, all, 0, s.tokenIds().length);
                System.arraycopy(s.generatedIds(), 0, all, s.tokenIds().length, s.generatedIds().length);
                assertArrayEquals(SaliencyMap.normalise(FakeNorms.fakeNorms(all), s.tokenIds().length), s.scores(), id);
                assertEquals(SaliencyMap.ansi(s.tokenStrings(), s.scores()), s.ansi());
                assertEquals(SaliencyMap.html(s.tokenStrings(), s.scores()), s.html());
                assertArrayEquals(r.generatedIds(), s.generatedIds());
                checked++;
            }
        }
        assertEquals(29, checked);
    }

    @Test
    void withoutSaliencyNoMapIsComputed() {
        FakeNorms[] fake = new FakeNorms[1];
        List<MentionResult> results = link(FILES[0], OPTIONS.withSaliency(false).withNumBeams(1), m -> fake[0] = new FakeNorms(m));
        assertEquals(0, fake[0].calls.get());
        for (MentionResult r : results) {
            assertNull(r.saliency());
            assertNotNull(r.generatedIds());
        }
    }

    @Test
    void aModelWithoutBackwardFailsClearly() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> link(FILES[0], OPTIONS.withNumBeams(1), m -> new DelegatingModel(m) { }));
        assertTrue(e.getMessage().startsWith("saliency maps need the model's backward pass"), e.getMessage());
    }

    @Test
    void optionsKeepEveryOtherSetting() {
        SampleOptions o = SampleOptions.defaults().withSaliency(true).withNumBeams(3).withSeed(7).withMaxNewTokens(9)
                .withConstrained(false).withMultipleAnswers(true).withReferenceCompat(true).withDeterministic(true);
        assertEquals(new SampleOptions(3, false, true, true, true, 7, 9, true), o);
        assertTrue(!SampleOptions.defaults().saliency());
        assertTrue(!o.withSaliency(false).saliency());
    }

    /** The real scores against the reference's, within 1e-3 (fixture README), once the model has its backward pass. */
    @Test
    void scoresMatchTheReference() throws IOException {
        for (String[] f : FILES) {
            Map<String, JsonNode> expected = new HashMap<>();
            for (JsonNode m : reference(f[0]).get("saliency_maps")) expected.put(m.get("mention_id").asText(), m);
            List<MentionResult> results = link(f, OPTIONS, java.util.function.UnaryOperator.identity());
            assertEquals(expected.size(), results.size());
            for (MentionResult r : results) {
                SaliencyMap s = r.saliency();
                JsonNode e = expected.get(s.mentionId());
                String id = s.mentionId();
                assertArrayEquals(ints(e.get("token_ids")), s.tokenIds(), id);
                assertEquals(strings(e.get("token_strings")), s.tokenStrings(), id);
                assertEquals(e.get("pred_concept_name").asText(), s.predName(), id);
                assertEquals(e.get("pred_concept_code").asText(), s.predCode(), id);
                assertArrayEquals(doubles(e.get("saliency_scores")), s.scores(), 1e-3, id);
            }
        }
    }
}
