package org.longbel.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.longbel.linker.document.Page;
import org.longbel.linker.input.BigBioReader;
import org.longbel.linker.output.Prediction;
import org.longbel.linker.prompt.Mention;

/**
 * A call that ends early (cancelled, interrupted, or failed in its consumer) returns only once its pages have left
 * the scheduler: their KV memory is free and its listener hears nothing more. Pages queued behind other calls'
 * pages are dropped at once, not when their turn comes.
 */
class CancelledCallsTest {
    private static final SampleOptions OPTIONS = SampleOptions.defaults().withNumBeams(2).withDeterministic(true);
    private static LongBel longBel;
    /** crafted-002 (10 mentions), then crafted-001 (15): the second is still mid-mention when the first is done. */
    private static List<Page> shortThenLong;

    @BeforeAll
    static void load() {
        longBel = LongBel.load(Fixtures.tinyModel(), LongBelOptions.defaults().withDocumentsInFlight(2).withComputeThreads(1)
                .withKnowledgeBase(Fixtures.path("kb/crafted_text_to_code.json")).withKbCacheDir(null));
        List<Page> pages = new BigBioReader().read(Fixtures.path("examples/crafted_pages.json"));
        shortThenLong = List.of(pages.get(2), pages.get(0));
    }

    @AfterAll
    static void close() {
        longBel.close();
    }

    /** Counts listener calls made after {@link #returned} was set. */
    private static final class LateCalls implements LinkListener {
        final AtomicBoolean returned = new AtomicBoolean();
        final AtomicInteger late = new AtomicInteger();
        final AtomicInteger mentions = new AtomicInteger();

        @Override public void onPrompt(PromptRecord p) { if (returned.get()) late.incrementAndGet(); }
        @Override public void onMention(Mention m, List<Prediction> ps) {
            mentions.incrementAndGet();
            if (returned.get()) late.incrementAndGet();
        }
        @Override public void onPage(String pageId, int mentions) { if (returned.get()) late.incrementAndGet(); }
    }

    private static void assertNothingHeld(String when) {
        KvUsage kv = longBel.kvUsage();
        assertEquals(0, kv.bytesInUse(), "KV bytes still in use " + when);
        assertEquals(0, kv.sequences(), "KV sequences still live " + when);
    }

    @Test
    void aConsumerFailureReturnsOnlyOnceTheOtherPagesAreFreed() throws InterruptedException {
        LateCalls listener = new LateCalls();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> longBel.stream(shortThenLong, OPTIONS,
                listener, new CancellationToken(), page -> { throw new IllegalStateException("consumer failed on " + page.page().id()); }));
        assertNothingHeld("after the call threw");
        listener.returned.set(true);
        assertEquals("consumer failed on crafted-002", e.getMessage());
        assertTrue(listener.mentions.get() < 25, "the long page ran to its end: " + listener.mentions.get());
        Thread.sleep(200); // a scheduler still running the page would call back within a tick or two
        assertEquals(0, listener.late.get(), "listener calls after the call returned");
        assertEquals(25, longBel.sample(shortThenLong, OPTIONS).size(), "links afterwards");
        assertNothingHeld("after the next call");
    }

    @Test
    void anInterruptedCallerGetsACancellationOnlyOnceItsPagesAreFreedAndKeepsItsInterrupt() throws Exception {
        LateCalls listener = new LateCalls();
        Thread[] caller = new Thread[1];
        LinkListener interrupting = new LinkListener() {
            @Override public void onPrompt(PromptRecord p) { listener.onPrompt(p); }
            @Override public void onMention(Mention m, List<Prediction> ps) {
                listener.onMention(m, ps);
                if (listener.mentions.get() == 3) caller[0].interrupt();
            }
            @Override public void onPage(String pageId, int mentions) { listener.onPage(pageId, mentions); }
        };
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        caller[0] = Thread.ofPlatform().start(() -> {
            try {
                longBel.sample(shortThenLong, OPTIONS, interrupting, new CancellationToken());
                outcome.complete(null);
            } catch (Throwable t) {
                KvUsage kv = longBel.kvUsage();
                listener.returned.set(true);
                outcome.complete(Thread.currentThread().isInterrupted() && kv.bytesInUse() == 0 && kv.sequences() == 0 ? t
                        : new AssertionError("interrupted " + Thread.currentThread().isInterrupted() + ", " + kv, t));
            }
        });
        Throwable t = outcome.get(60, TimeUnit.SECONDS);
        if (t instanceof AssertionError a) throw a;
        assertTrue(t instanceof CancellationException, String.valueOf(t));
        caller[0].join(10_000);
        Thread.sleep(200);
        assertEquals(0, listener.late.get(), "listener calls after the call returned");
        assertNothingHeld("at rest");
    }

    @Test
    void aCancelledCallQueuedBehindAnotherCallsPagesReturnsWithoutWaitingForThem() throws Exception {
        // documents in flight 2: the first call's four pages fill the scheduler and its queue; the second waits behind
        List<Page> busy = List.of(shortThenLong.get(1), shortThenLong.get(0), shortThenLong.get(1), shortThenLong.get(0));
        AtomicInteger busyPages = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<List<MentionResult>> first = CompletableFuture.supplyAsync(() -> longBel.sample(busy, OPTIONS,
                new LinkListener() {
                    @Override public void onMention(Mention m, List<Prediction> ps) { started.countDown(); }
                    @Override public void onPage(String pageId, int mentions) { busyPages.incrementAndGet(); }
                }, new CancellationToken()));
        assertTrue(started.await(60, TimeUnit.SECONDS));
        CancellationToken cancel = new CancellationToken();
        LateCalls listener = new LateCalls();
        CompletableFuture<Throwable> second = CompletableFuture.supplyAsync(() -> {
            try {
                longBel.sample(shortThenLong, OPTIONS, listener, cancel);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(50); // the second call submits its pages
        cancel.cancel();
        Throwable t = second.get(60, TimeUnit.SECONDS);
        int pagesDoneWhenCancelled = busyPages.get();
        assertTrue(t instanceof CancellationException, String.valueOf(t));
        // before: it waited until its first page had a slot, i.e. until three of the four pages before it were done
        assertTrue(pagesDoneWhenCancelled <= 1, "the cancelled call waited for " + pagesDoneWhenCancelled
                + " page(s) queued before it");
        assertFalse(first.isDone());
        assertEquals(50, first.get(120, TimeUnit.SECONDS).size());
        assertEquals(0, listener.mentions.get());
        assertEquals(0, listener.late.get());
        assertNothingHeld("at rest");
    }
}
