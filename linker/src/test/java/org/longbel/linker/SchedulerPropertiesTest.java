package org.longbel.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.longbel.core.CausalLM;
import org.longbel.core.KvCache;
import org.longbel.kb.KnowledgeBase;
import org.longbel.linker.document.Page;
import org.longbel.linker.output.Prediction;
import org.longbel.linker.prompt.Mention;
import org.longbel.linker.synth.ConceptPool;
import org.longbel.linker.synth.CorpusShape;
import org.longbel.linker.synth.IntRange;
import org.longbel.linker.synth.SyntheticCorpus;

/** How the scheduler drives the forwards: budgets, order inside a document, fairness across documents and calls. */
class SchedulerPropertiesTest {
    private static final String KB = "kb/umls_names_sample_text_to_code.json";
    private static final SampleOptions BEAMS = SampleOptions.defaults().withDeterministic(true).withMaxNewTokens(24);
    private static List<Page> pages;

    @BeforeAll
    static void corpus() {
        try (KnowledgeBase kb = KnowledgeBase.load(Fixtures.path(KB), Fixtures.tinyModel())) {
            pages = new SyntheticCorpus(ConceptPool.of(kb, ConceptPool.GroupChoice.st21pv(), KB),
                    CorpusShape.defaults().withMentions(new IntRange(3, 6)).withWords(new IntRange(60, 90)).withSeed(9))
                    .generate(6);
        }
    }

    /** Counts the rows of every forward and the KV bytes in use after it. */
    static final class Recording extends DelegatingModel {
        final AtomicInteger maxRows = new AtomicInteger();
        final AtomicLong maxKvBytes = new AtomicLong();
        final AtomicInteger forwards = new AtomicInteger();

        Recording(CausalLM inner) {
            super(inner);
        }

        @Override
        public float[][][] forward(KvCache cache, int[] seqs, int[][] tokens, int[][] logitIndices) {
            int rows = 0;
            for (int[] t : tokens) rows += t.length;
            float[][][] out = inner.forward(cache, seqs, tokens, logitIndices);
            forwards.incrementAndGet();
            maxRows.accumulateAndGet(rows, Math::max);
            maxKvBytes.accumulateAndGet(cache.bytesInUse(), Math::max);
            return out;
        }
    }

    private static LongBelOptions options() {
        return LongBelOptions.defaults().withComputeThreads(1).withKnowledgeBase(Fixtures.path(KB)).withKbCacheDir(null);
    }

    @Test
    void forwardsStayWithinTheRowAndKvBudgets() {
        Recording[] model = new Recording[1];
        long budget = 80L * 8192;
        try (LongBel longBel = LongBel.load(Fixtures.tinyModel(), options().withRowBudget(12).withDocumentsInFlight(6)
                .withKvCacheBytes(budget), m -> model[0] = new Recording(m))) {
            longBel.sample(pages, BEAMS);
            LinkStats s = longBel.stats();
            assertTrue(model[0].maxRows.get() <= 12, "rows " + model[0].maxRows);
            assertTrue(model[0].maxKvBytes.get() <= budget, "KV bytes " + model[0].maxKvBytes);
            assertEquals(model[0].forwards.get(), s.forwardCalls());
            assertTrue(s.peakKvBytes() <= budget);
        }
    }

    @Test
    void mentionsOfADocumentRunInOrderEachAfterThePreviousOneIsLinked() {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        try (LongBel longBel = LongBel.load(Fixtures.tinyModel(), options().withDocumentsInFlight(4))) {
            longBel.sample(pages, BEAMS, new LinkListener() {
                @Override public void onPrompt(PromptRecord p) { events.add("prompt " + p.mentionId()); }
                @Override public void onMention(Mention m, List<Prediction> ps) { events.add("linked " + m.mentionId()); }
            }, new CancellationToken());
        }
        for (Page page : pages) {
            List<String> own = events.stream().filter(e -> e.substring(e.indexOf(' ') + 1).startsWith(page.id() + ".")).toList();
            List<String> expected = new ArrayList<>();
            for (int k = 1; k <= own.size() / 2; k++) {
                expected.add("prompt " + page.id() + "." + k);
                expected.add("linked " + page.id() + "." + k);
            }
            assertEquals(expected, own, page.id());
        }
        // several documents were interleaved, not run one after another
        List<String> firstPrompts = new ArrayList<>(new LinkedHashSet<>(events.stream().filter(e -> e.startsWith("prompt"))
                .map(e -> e.substring(7, e.lastIndexOf('.'))).toList()));
        assertEquals(pages.stream().map(Page::id).toList(), firstPrompts, "documents start in submission order");
        assertTrue(events.indexOf("prompt " + pages.get(1).id() + ".1") < events.indexOf("linked " + pages.get(0).id() + ".1"));
    }

    @Test
    void concurrentCallsShareTheSchedulerAndEachGetsItsOwnResults() throws Exception {
        List<Page> first = pages.subList(0, 3), second = pages.subList(3, 6);
        List<String> aloneFirst, aloneSecond;
        try (LongBel longBel = LongBel.load(Fixtures.tinyModel(), options().withDocumentsInFlight(1))) {
            aloneFirst = SchedulerEquivalenceTest.lines(longBel.sample(first, BEAMS));
            aloneSecond = SchedulerEquivalenceTest.lines(longBel.sample(second, BEAMS));
        }
        try (LongBel longBel = LongBel.load(Fixtures.tinyModel(), options().withDocumentsInFlight(8))) {
            CompletableFuture<List<MentionResult>> a = CompletableFuture.supplyAsync(() -> longBel.sample(first, BEAMS));
            CompletableFuture<List<MentionResult>> b = CompletableFuture.supplyAsync(() -> longBel.sample(second, BEAMS));
            assertEquals(aloneFirst, SchedulerEquivalenceTest.lines(a.get()));
            assertEquals(aloneSecond, SchedulerEquivalenceTest.lines(b.get()));
        }
    }

    @Test
    void aDocumentWaitingForKvRoomIsNotStarvedByLaterOnes() {
        // room for about one mention at a time: every document still completes, in submission order of first prompts
        List<String> pagesDone = Collections.synchronizedList(new ArrayList<>());
        try (LongBel longBel = LongBel.load(Fixtures.tinyModel(), options().withDocumentsInFlight(6).withKvCacheBytes(40L * 8192))) {
            List<MentionResult> results = longBel.sample(pages, BEAMS, new LinkListener() {
                @Override public void onPage(String pageId, int mentions) { pagesDone.add(pageId); }
            }, new CancellationToken());
            assertEquals(pages.size(), pagesDone.size());
            for (MentionResult r : results) assertEquals(null, r.top().error(), r.mention().mentionId());
        }
    }
}
