package org.longbel.linker;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longbel.decoding.DecodingMode;
import org.longbel.linker.document.Page;
import org.longbel.linker.input.BigBioReader;
import org.longbel.linker.output.Prediction;
import org.longbel.linker.prompt.Mention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The library API on tiny-llama32: ordering with concurrent pages, streaming callback, cancellation. */
class LongBelTest {
    private static LongBel concurrent;
    private static List<Page> pages;
    private static final SampleOptions OPTIONS = SampleOptions.defaults().withNumBeams(2).withDeterministic(true);

    @BeforeAll
    static void load() {
        concurrent = LongBel.load(Fixtures.tinyModel(), LongBelOptions.defaults().withDocumentsInFlight(3).withComputeThreads(1)
                .withKnowledgeBase(Fixtures.path("kb/crafted_text_to_code.json")));
        pages = new BigBioReader().read(Fixtures.path("examples/crafted_pages.json"));
    }

    @AfterAll
    static void close() {
        concurrent.close();
    }

    @Test
    void documentsInFlightKeepInputOrderAndResults() {
        List<String> streamed = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger pagesDone = new AtomicInteger();
        List<MentionResult> results = concurrent.sample(pages, OPTIONS, new LinkListener() {
            @Override public void onMention(Mention m, List<Prediction> ps) { streamed.add(m.mentionId()); }
            @Override public void onPage(String pageId, int mentions) { pagesDone.incrementAndGet(); }
        }, new CancellationToken());
        List<String> ids = results.stream().map(r -> r.mention().mentionId()).toList();
        List<String> expected = new ArrayList<>();
        for (int k = 1; k <= 15; k++) expected.add("crafted-001." + k);
        for (int k = 1; k <= 10; k++) expected.add("crafted-002." + k);
        assertEquals(expected, ids);
        assertEquals(25, streamed.size());
        assertEquals(3, pagesDone.get()); // the page without entities is reported too
        for (MentionResult r : results) {
            assertEquals(2, r.predictions().size());
            assertEquals(r.mention().mentionId(), r.prompt().mentionId());
            assertTrue(r.prompt().text().endsWith(r.mention().target()));
        }
        // one page at a time on two compute threads: the same numbers (fixed reduction order per row)
        try (LongBel sequential = LongBel.load(Fixtures.tinyModel(), LongBelOptions.defaults().withDocumentsInFlight(1).withComputeThreads(2)
                .withKnowledgeBase(Fixtures.path("kb/crafted_text_to_code.json")))) {
            List<MentionResult> again = sequential.sample(pages, OPTIONS);
            for (int i = 0; i < results.size(); i++) {
                assertEquals(again.get(i).predictions(), results.get(i).predictions(), ids.get(i));
            }
        }
    }

    @Test
    void cancellationStopsTheRun() {
        CancellationToken cancel = new CancellationToken();
        AtomicInteger linked = new AtomicInteger();
        assertThrows(CancellationException.class, () -> concurrent.sample(pages, OPTIONS, new LinkListener() {
            @Override public void onMention(Mention m, List<Prediction> ps) {
                linked.incrementAndGet();
                cancel.cancel();
            }
        }, cancel));
        assertTrue(linked.get() < 25, "linking went on after the cancellation: " + linked.get());
        assertTrue(cancel.isCancelled());
    }

    @Test
    void reportsTheDecodingMode() {
        assertEquals(DecodingMode.BEAM_SAMPLE, concurrent.mode(SampleOptions.defaults()));
        assertEquals(DecodingMode.BEAM_SEARCH, concurrent.mode(OPTIONS));
        assertEquals(DecodingMode.GREEDY, concurrent.mode(OPTIONS.withNumBeams(1)));
    }
    @Test
    void aKvBudgetTooSmallGivesErrorRecordsNotAFailedRun() {
        try (LongBel small = LongBel.load(Fixtures.tinyModel(), LongBelOptions.defaults().withComputeThreads(1)
                .withKnowledgeBase(Fixtures.path("kb/crafted_text_to_code.json")).withKvCacheBytes(1))) {
            List<MentionResult> results = small.sample(pages.subList(0, 1), OPTIONS);
            assertEquals(15, results.size());
            for (MentionResult r : results) {
                assertEquals(2, r.predictions().size());
                Prediction p = r.predictions().getFirst();
                assertEquals(Prediction.NO_PREDICTION, p.predName());
                assertTrue(p.error().startsWith("the KV-cache budget is too small") && p.error().contains("--kv-cache-mb"),
                        p.error());
            }
        }
    }
    @Test
    void unusableSamplingSettingsAreRefusedBeforeAnyPageNamingTheFile(@TempDir Path dir) throws IOException {
        Path model = Fixtures.tinyModel();
        try (Stream<Path> files = Files.list(model)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("generation_config.json")) {
                    Files.createSymbolicLink(dir.resolve(f.getFileName()), f.toAbsolutePath());
                }
            }
        }
        Files.writeString(dir.resolve("generation_config.json"), "{\"do_sample\": true, \"temperature\": 0.0}");
        try (LongBel cold = LongBel.load(dir, LongBelOptions.defaults().withComputeThreads(1)
                .withKnowledgeBase(Fixtures.path("kb/crafted_text_to_code.json")))) {
            AtomicInteger linked = new AtomicInteger();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cold.sample(pages, SampleOptions.defaults(), new LinkListener() {
                        @Override public void onMention(Mention m, List<Prediction> ps) { linked.incrementAndGet(); }
                    }, new CancellationToken()));
            assertTrue(e.getMessage().startsWith(dir.resolve("generation_config.json") + ": temperature"), e.getMessage());
            assertEquals(0, linked.get());
            // deterministic decoding does not use the sampling settings, so it runs
            assertEquals(1, cold.sample(pages.subList(0, 1), OPTIONS.withNumBeams(1)).getFirst().predictions().size());
        }
    }
}
