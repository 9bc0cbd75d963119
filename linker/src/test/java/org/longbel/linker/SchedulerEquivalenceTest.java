package org.longbel.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.longbel.core.CausalLM;
import org.longbel.core.LlamaModel;
import org.longbel.decoding.GenerationConfig;
import org.longbel.decoding.SpecialIds;
import org.longbel.kb.KnowledgeBase;
import org.longbel.linker.document.Page;
import org.longbel.linker.input.BigBioReader;
import org.longbel.linker.output.ConceptIndex;
import org.longbel.linker.output.Prediction;
import org.longbel.linker.output.PredictionJson;
import org.longbel.linker.synth.ConceptPool;
import org.longbel.linker.synth.CorpusShape;
import org.longbel.linker.synth.IntRange;
import org.longbel.linker.synth.SyntheticCorpus;
import org.longbel.tokenizer.Tokenizer;

/**
 * The scheduler changes how the forwards are driven, never what comes out: on tiny-llama32, every record (as its
 * JSON line, byte for byte) equals what linking each page alone, mention after mention, with a fresh KV cache and
 * no reuse gives, whatever the documents in flight, KV reuse, row budget (chunked prefill), compute threads, or a
 * KV budget so small that mentions are preempted and cached blocks evicted.
 */
class SchedulerEquivalenceTest {
    private static final String KB = "kb/umls_names_sample_text_to_code.json";
    private static final SampleOptions BEAMS = SampleOptions.defaults().withDeterministic(true).withMaxNewTokens(24);
    private static List<Page> pages;
    private static List<String> expected;

    @BeforeAll
    static void sequentialBaseline() {
        try (KnowledgeBase kb = KnowledgeBase.load(Fixtures.path(KB), Fixtures.tinyModel())) {
            CorpusShape shape = CorpusShape.defaults().withMentions(new IntRange(6, 12)).withWords(new IntRange(90, 140))
                    .withSeed(5);
            pages = new ArrayList<>(new SyntheticCorpus(ConceptPool.of(kb, ConceptPool.GroupChoice.st21pv(), KB), shape)
                    .generate(5));
            pages.addAll(new BigBioReader().read(Fixtures.path("examples/seed_example.json")));
        }
        expected = sequential(BEAMS);
    }

    /** Each page alone, each mention decoded to the end before the next is built: the pipeline's plain definition. */
    private static List<String> sequential(SampleOptions options) {
        Tokenizer tokenizer = Tokenizer.fromDirectory(Fixtures.tinyModel());
        GenerationConfig generation = GenerationConfig.readCheckpoint(Fixtures.tinyModel());
        SpecialIds ids = SpecialIds.resolve(tokenizer, generation);
        List<String> lines = new ArrayList<>();
        try (KnowledgeBase kb = KnowledgeBase.load(Fixtures.path(KB), Fixtures.tinyModel());
             LlamaModel model = LlamaModel.load(Fixtures.tinyModel(), 1)) {
            DocumentLinker linker = new DocumentLinker(PromptCodec.of(tokenizer, ids), ConceptIndex.of(kb), options);
            for (Page page : pages) {
                try (ModelDecoder decoder = new ModelDecoder(model, generation, ids, options, 16, 1L << 28)) {
                    for (Prediction p : linker.link(page, decoder, LinkListener.NONE, new CancellationToken())) {
                        lines.add(PredictionJson.toLine(p));
                    }
                }
            }
        }
        return lines;
    }

    static List<String> lines(List<MentionResult> results) {
        List<String> out = new ArrayList<>();
        for (MentionResult r : results) for (Prediction p : r.predictions()) out.add(PredictionJson.toLine(p));
        return out;
    }

    private static LongBelOptions options(int documents, boolean reuse) {
        return LongBelOptions.defaults().withComputeThreads(1).withKnowledgeBase(Fixtures.path(KB)).withKbCacheDir(null)
                .withDocumentsInFlight(documents).withKvReuse(reuse);
    }

    private static LinkStats linkAndCompare(LongBelOptions o, String what) {
        try (LongBel longBel = LongBel.load(Fixtures.tinyModel(), o)) {
            List<String> actual = lines(longBel.sample(pages, BEAMS));
            assertEquals(expected.size(), actual.size(), what);
            for (int i = 0; i < actual.size(); i++) assertEquals(expected.get(i), actual.get(i), what + ", record " + i);
            return longBel.stats();
        }
    }

    @ParameterizedTest(name = "documents in flight {0}, KV reuse {1}")
    @CsvSource({"1, false", "1, true", "3, false", "3, true", "8, true", "0, true"})
    void identicalRecordsWhateverTheDocumentsInFlightAndReuse(int documents, boolean reuse) {
        LinkStats s = linkAndCompare(options(documents, reuse), documents + " documents, reuse " + reuse);
        assertEquals(reuse, s.reusedTokens() > 0, "reused " + s.reusedTokens());
        assertEquals(s.promptTokens(), s.prefilledTokens() + s.reusedTokens(), "nothing preempted: each prompt token once");
        if (documents != 1) assertTrue(s.meanRowsPerForward() > 6, "decode rows of several mentions share forwards: " + s);
    }

    @Test
    void identicalRecordsWithChunkedPrefillAndTwoComputeThreads() {
        LinkStats s = linkAndCompare(options(8, true).withRowBudget(7).withComputeThreads(2), "row budget 7");
        assertTrue(s.rows() <= 7 * s.forwardCalls());
    }

    @Test
    void identicalRecordsWhenATinyKvBudgetForcesPreemptionAndEviction() {
        LinkStats s = linkAndCompare(options(8, true).withKvCacheBytes(KV_BUDGET).withRowBudget(64), "tiny KV budget");
        assertTrue(s.preemptions() > 0, "no preemption: " + s);
        assertTrue(s.evictedBlocks() > 0, "no eviction: " + s);
        assertTrue(s.peakKvBytes() <= KV_BUDGET);
    }

    /**
     * 60 blocks of 16 tokens (8 KiB each on tiny-llama32: 2 layers x keys and values x 32 floats x 16 tokens): about
     * two mentions' worst case, while prompts take several 64-row ticks to prefill, so mentions admitted against
     * the room left now outgrow it and the youngest are preempted.
     */
    private static final long KV_BUDGET = 60L * 8192;
}
