package org.longbel.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.longbel.decoding.DecodingMode;
import org.longbel.kb.KnowledgeBase;
import org.longbel.linker.document.Page;
import org.longbel.linker.output.Prediction;
import org.longbel.linker.output.PredictionJson;
import org.longbel.linker.prompt.Mention;
import org.longbel.linker.synth.ConceptPool;
import org.longbel.linker.synth.CorpusShape;
import org.longbel.linker.synth.IntRange;
import org.longbel.linker.synth.SyntheticCorpus;

/**
 * Concurrency soak of one shared {@link LongBel} handle on tiny-llama32: N threads send M synthetic documents
 * (the {@code corpus synth} generator over the checkpoint's {@code text_to_code.json}) through it, in calls of one
 * to three pages, in deterministic beam search and in beam sampling with a fixed seed, pass after pass, while other
 * calls are cancelled mid-run (their token cancelled from the listener, their consumer failing, their calling
 * thread interrupted). The KV budget is small, so mentions are preempted and cached blocks evicted. Checked:
 * <ul>
 *   <li>every page that comes back equals, as its prediction JSON lines byte for byte, what a sequential run of the
 *       same page gives (a separate handle, one page per call, one document in flight, no KV reuse);</li>
 *   <li>every cancelled call ends with the exception its cancellation calls for, and no listener hears
 *       anything from a call after it returned;</li>
 *   <li>after every pass (all calls returned) the KV cache holds nothing: zero bytes, zero sequences;</li>
 *   <li>no worker thread is stuck, no {@code longbel-*} or worker thread is left over from a pass (the set after
 *       each pass is the set after the first), and the handle's scheduler thread is idle;</li>
 *   <li>the used heap after a full GC does not grow with the documents linked: the last pass ends within
 *       {@value #HEAP_SLACK_MIB} MiB of the first;</li>
 *   <li>after the last cancellation, one more call with every document, in each mode, still gives the sequential
 *       results.</li>
 * </ul>
 *
 * <p>In the normal build it is short (3 threads, 6 documents, 2 passes: about 15 seconds on two busy cores). The long run sets system
 * properties {@code longbel.soak.threads}, {@code longbel.soak.documents}, {@code longbel.soak.passes} (at least this
 * many) and {@code longbel.soak.seconds} (more passes until this much time has passed), e.g. for about five minutes:
 * <pre>
 * nice -n 10 ./mvn25 -B -o test -pl linker -am -Dtest=LongBelSoakTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dlongbel.soak.threads=8 -Dlongbel.soak.documents=60 -Dlongbel.soak.seconds=240
 * </pre>
 * Each pass prints one line ({@code soak pass ...}) and the run a summary ({@code soak done ...}).
 */
@Tag("soak")
class LongBelSoakTest {
    private static final String KB = "models/tiny-llama32/text_to_code.json";
    /** Block bytes of tiny-llama32 with 16-token blocks: 2 layers x (K + V) x 16 tokens x 32 floats x 4 bytes. */
    private static final long BLOCK_BYTES = 2L * 2 * 16 * 32 * Float.BYTES;
    /** Room for a handful of mentions at once: preemptions and evictions happen. */
    private static final long KV_BUDGET = 96 * BLOCK_BYTES;
    private static final long HEAP_SLACK_MIB = 48;

    private static final int THREADS = Integer.getInteger("longbel.soak.threads", 3);
    private static final int DOCUMENTS = Integer.getInteger("longbel.soak.documents", 6);
    private static final int PASSES = Integer.getInteger("longbel.soak.passes", 2);
    private static final long SECONDS = Long.getLong("longbel.soak.seconds", 0);

    private record Mode(String name, SampleOptions options) {
    }

    private static final List<Mode> MODES = List.of(
            new Mode("beam-search", SampleOptions.defaults().withNumBeams(3).withDeterministic(true).withMaxNewTokens(24)),
            new Mode("beam-sample", SampleOptions.defaults().withNumBeams(3).withSeed(1234).withMaxNewTokens(24)));

    private enum Kind { PLAIN, CANCEL_TOKEN, CONSUMER_FAILS, INTERRUPT }

    private record Call(List<Page> pages, Mode mode, Kind kind) {
    }

    /** The consumer's failure in {@link Kind#CONSUMER_FAILS} calls. */
    private static final class ConsumerFailure extends RuntimeException {
        ConsumerFailure() {
            super("the consumer gave up", null, false, false);
        }
    }

    /** What a pass saw; everything but the problems is a count. */
    private static final class Tally {
        final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger pagesCompared = new AtomicInteger();
        final AtomicInteger mentionsCompared = new AtomicInteger();
        final AtomicInteger[] cancelled = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        /** Interrupted calls whose pages were all done before the interrupt reached the caller. */
        final AtomicInteger interruptsMissed = new AtomicInteger();
        final AtomicLong lateCallbacks = new AtomicLong();

        void problem(String s) {
            if (problems.size() < 20) problems.add(s);
        }
    }

    @Test
    void oneHandleManyThreadsManyDocumentsSameResultsNothingLeaks() throws Exception {
        List<Page> pages;
        try (KnowledgeBase kb = KnowledgeBase.load(Fixtures.path(KB), Fixtures.tinyModel())) {
            pages = new SyntheticCorpus(ConceptPool.of(kb, ConceptPool.GroupChoice.st21pv(), KB),
                    CorpusShape.defaults().withMentions(new IntRange(2, 4)).withWords(new IntRange(40, 70)).withSeed(18))
                    .generate(DOCUMENTS);
        }
        long start = System.nanoTime();
        Map<String, String> expected = sequentialBaseline(pages);
        double baselineSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("soak baseline: %d documents x %d modes sequentially in %.1f s%n", pages.size(), MODES.size(),
                baselineSeconds);

        LongBelOptions options = LongBelOptions.defaults().withComputeThreads(2).withKbCacheDir(null).withKvCacheBytes(KV_BUDGET);
        try (LongBel shared = LongBel.load(Fixtures.tinyModel(), options)) {
            assertEquals(DecodingMode.BEAM_SAMPLE, shared.mode(MODES.get(1).options()), "the second mode samples");
            long soakStart = System.nanoTime();
            Set<Thread> threadsAfterFirstPass = null;
            long heapAfterFirstPass = 0, heap = 0;
            int pass = 0;
            long pagesLinked = 0;
            do {
                pass++;
                long passStart = System.nanoTime();
                LinkStats before = shared.stats();
                Tally tally = runPass(shared, pages, expected, new Random(pass));
                LinkStats s = shared.stats().minus(before);
                heap = usedHeapAfterGc();
                KvUsage kv = shared.kvUsage();
                System.out.printf("soak pass %d: %d threads, %d calls (cancelled: %d by token, %d by the consumer, %d by an"
                                + " interrupt, %d interrupts after the last page), %d pages and %d mentions equal to the sequential"
                                + " run, %.1f s, %d preemptions, %d evicted blocks, KV peak %d of %d bytes, KV now %d bytes in %d"
                                + " sequences, heap after GC %.1f MiB%n",
                        pass, THREADS, tally.calls.get(), tally.cancelled[1].get(), tally.cancelled[2].get(),
                        tally.cancelled[3].get(), tally.interruptsMissed.get(), tally.pagesCompared.get(),
                        tally.mentionsCompared.get(), (System.nanoTime() - passStart) / 1e9, s.preemptions(), s.evictedBlocks(),
                        s.peakKvBytes(), kv.budgetBytes(), kv.bytesInUse(), kv.sequences(), heap / 1048576.0);
                pagesLinked += tally.pagesCompared.get();

                assertEquals(List.of(), List.copyOf(tally.problems), "pass " + pass);
                assertEquals(0, tally.lateCallbacks.get(), "listener calls after their call returned, pass " + pass);
                assertTrue(tally.pagesCompared.get() >= pages.size() * MODES.size(), "pass " + pass + " compared too few pages");
                assertTrue(tally.cancelled[1].get() > 0 && tally.cancelled[2].get() > 0, "pass " + pass + " cancelled nothing");
                assertEquals(0, kv.bytesInUse(), "KV bytes in use with no call running, pass " + pass);
                assertEquals(0, kv.sequences(), "KV sequences live with no call running, pass " + pass);
                assertTrue(s.peakKvBytes() <= KV_BUDGET);
                assertSchedulerIdle();
                Set<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("longbel-") || t.getName().startsWith("soak-")).collect(Collectors.toSet());
                if (threadsAfterFirstPass == null) {
                    threadsAfterFirstPass = threads;
                    heapAfterFirstPass = heap;
                } else {
                    Set<Thread> first = threadsAfterFirstPass;
                    Set<Thread> extra = threads.stream().filter(t -> !first.contains(t)).collect(Collectors.toSet());
                    assertEquals(Set.of(), names(extra), "threads started since the first pass, pass " + pass);
                }
            } while (pass < PASSES || (System.nanoTime() - soakStart) / 1e9 < SECONDS);

            // after all the cancellations: every document in one call, in each mode, still links as before
            for (Mode mode : MODES) {
                List<PageResult> all = new ArrayList<>();
                shared.stream(pages, mode.options(), LinkListener.NONE, new CancellationToken(), all::add);
                for (PageResult r : all) assertEquals(expected.get(key(mode, r.page())), lines(r), mode.name() + " " + r.page().id());
                assertEquals(pages.size(), all.size());
            }
            assertEquals(new KvUsage(0, 0, KV_BUDGET), shared.kvUsage());
            long growth = heap - heapAfterFirstPass;
            System.out.printf("soak done: %d passes, %d pages linked and compared in %.1f s (%d threads, %d distinct documents,"
                            + " %d modes); heap after GC %.1f MiB after pass 1, %.1f MiB after pass %d (%+.1f MiB)%n",
                    pass, pagesLinked, (System.nanoTime() - soakStart) / 1e9, THREADS, pages.size(), MODES.size(),
                    heapAfterFirstPass / 1048576.0, heap / 1048576.0, pass, growth / 1048576.0);
            assertTrue(growth < HEAP_SLACK_MIB << 20, "the used heap grew by " + growth / 1048576 + " MiB over " + (pass - 1)
                    + " passes: something is kept per document");
        }
    }

    /** Each page alone, one call per page, on a handle of its own with one document in flight and no KV reuse. */
    private static Map<String, String> sequentialBaseline(List<Page> pages) {
        Map<String, String> out = new HashMap<>();
        try (LongBel sequential = LongBel.load(Fixtures.tinyModel(), LongBelOptions.defaults().withComputeThreads(2)
                .withKbCacheDir(null).withDocumentsInFlight(1).withKvReuse(false))) {
            for (Mode mode : MODES) {
                for (Page page : pages) {
                    List<PageResult> one = new ArrayList<>();
                    sequential.stream(List.of(page), mode.options(), LinkListener.NONE, new CancellationToken(), one::add);
                    out.put(key(mode, page), lines(one.getFirst()));
                }
            }
        }
        return out;
    }

    private static String key(Mode mode, Page page) {
        return mode.name() + " " + page.id();
    }

    private static String lines(PageResult r) {
        StringBuilder sb = new StringBuilder();
        for (MentionResult m : r.mentions()) for (Prediction p : m.predictions()) sb.append(PredictionJson.toLine(p)).append('\n');
        return sb.toString();
    }

    /** Every document in each mode in calls of 1 to 3 pages, plus some cancelled calls, shuffled, over the threads. */
    private static Tally runPass(LongBel shared, List<Page> pages, Map<String, String> expected, Random random)
            throws InterruptedException {
        List<Call> calls = new ArrayList<>();
        for (Mode mode : MODES) {
            for (int i = 0; i < pages.size(); ) {
                int n = Math.min(pages.size() - i, 1 + random.nextInt(3));
                calls.add(new Call(pages.subList(i, i + n), mode, Kind.PLAIN));
                i += n;
            }
        }
        int cancelled = Math.max(3, calls.size() / 4);
        for (int c = 0; c < cancelled; c++) {
            int from = random.nextInt(pages.size());
            List<Page> some = pages.subList(from, Math.min(pages.size(), from + 1 + random.nextInt(3)));
            calls.add(new Call(some, MODES.get(c % MODES.size()), Kind.values()[1 + c % 3]));
        }
        Collections.shuffle(calls, random);
        ConcurrentLinkedQueue<Call> queue = new ConcurrentLinkedQueue<>(calls);
        Tally tally = new Tally();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(Thread.ofPlatform().name("soak-worker-" + t).start(() -> {
                for (Call call; (call = queue.poll()) != null; ) {
                    try {
                        run(shared, call, expected, tally);
                    } catch (Throwable e) {
                        tally.problem(call.kind() + " call of " + ids(call) + " failed: " + e);
                    }
                }
            }));
        }
        for (Thread w : workers) {
            w.join(600_000);
            if (w.isAlive()) {
                tally.problem(w.getName() + " is stuck: " + List.of(w.getStackTrace()));
            }
        }
        return tally;
    }

    private static void run(LongBel shared, Call call, Map<String, String> expected, Tally tally) {
        tally.calls.incrementAndGet();
        CancellationToken token = new CancellationToken();
        Thread caller = Thread.currentThread();
        AtomicBoolean returned = new AtomicBoolean();
        AtomicBoolean fired = new AtomicBoolean();
        LinkListener listener = new LinkListener() {
            @Override public void onPrompt(PromptRecord p) { late(); }
            @Override public void onPage(String pageId, int mentions) { late(); }
            @Override public void onMention(Mention m, List<Prediction> ps) {
                late();
                if (fired.compareAndSet(false, true)) {
                    if (call.kind() == Kind.CANCEL_TOKEN) token.cancel();
                    if (call.kind() == Kind.INTERRUPT) caller.interrupt();
                }
            }
            private void late() {
                if (returned.get()) tally.lateCallbacks.incrementAndGet();
            }
        };
        RuntimeException thrown = null;
        try {
            shared.stream(call.pages(), call.mode().options(), listener, token, r -> {
                compare(call, r, expected, tally);
                if (call.kind() == Kind.CONSUMER_FAILS) throw new ConsumerFailure();
            });
        } catch (RuntimeException e) {
            thrown = e;
        } finally {
            returned.set(true);
        }
        boolean interrupted = Thread.interrupted();
        Class<? extends RuntimeException> expectedFailure = switch (call.kind()) {
            case PLAIN -> null;
            case CANCEL_TOKEN, INTERRUPT -> CancellationException.class;
            case CONSUMER_FAILS -> ConsumerFailure.class;
        };
        if (call.kind() == Kind.INTERRUPT && thrown == null) {
            tally.interruptsMissed.incrementAndGet(); // possible only if every page was done when the interrupt came
        } else if (expectedFailure == null ? thrown != null : !expectedFailure.isInstance(thrown)) {
            tally.problem(call.kind() + " call of " + ids(call) + " ended with " + thrown);
        } else if (thrown != null) {
            tally.cancelled[call.kind().ordinal()].incrementAndGet();
        }
        if (interrupted != (call.kind() == Kind.INTERRUPT)) {
            tally.problem(call.kind() + " call of " + ids(call) + ": the caller's interrupt status is " + interrupted);
        }
    }

    private static void compare(Call call, PageResult r, Map<String, String> expected, Tally tally) {
        String want = expected.get(key(call.mode(), r.page()));
        if (!want.equals(lines(r))) {
            tally.problem(call.mode().name() + " " + r.page().id() + " (" + call.kind() + " call of " + ids(call)
                    + ") differs from the sequential run:\n" + lines(r) + "expected:\n" + want);
        }
        tally.pagesCompared.incrementAndGet();
        tally.mentionsCompared.addAndGet(r.mentions().size());
    }

    private static String ids(Call call) {
        return call.pages().stream().map(Page::id).toList() + " " + call.mode().name();
    }

    /** The handle's scheduler thread waits for work (every scheduler thread: the baseline's handle is closed). */
    private static void assertSchedulerIdle() throws InterruptedException {
        for (int tries = 0; ; tries++) {
            List<Thread> busy = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("longbel-scheduler") && t.getState() != Thread.State.WAITING).toList();
            if (busy.isEmpty()) return;
            if (tries == 50) throw new AssertionError("scheduler thread not idle: " + busy.getFirst().getState() + " "
                    + List.of(busy.getFirst().getStackTrace()));
            Thread.sleep(20); // between a page's hand-over and its wait, the thread finishes its tick
        }
    }

    private static Set<String> names(Set<Thread> threads) {
        return threads.stream().map(t -> t.getName() + " (" + t.getState() + ")").collect(Collectors.toSet());
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) { // the lowest of a few full collections: what is really reachable
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
