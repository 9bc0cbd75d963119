package org.longbel.linker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.longbel.core.CausalLM;
import org.longbel.core.KvCache;
import org.longbel.core.KvCacheFullException;
import org.longbel.core.LogitRow;
import org.longbel.decoding.DecodingException;
import org.longbel.decoding.DecodingSearch;
import org.longbel.decoding.Selection;

/**
 * Continuous batching over many documents, one forward per tick (in the spirit of vLLM's scheduler):
 * <ol>
 *   <li>documents start as others finish, up to the documents-in-flight limit; each has at most one mention
 *       in flight, because a mention's prompt holds the memory of the ones before it;</li>
 *   <li>a mention is admitted when its worst case (prompt plus every beam at the longest generation) fits the
 *       KV budget left now; on admission it adopts the cached blocks of its prompt's prefix;</li>
 *   <li>a tick carries one decode row per running beam of every decoding mention, then prefill chunks of
 *       admitted prompts, oldest first, up to the row budget;</li>
 *   <li>when the tick does not fit the KV budget, the most recently admitted mention is preempted (freed, and
 *       redone from scratch later) until it does; a mention that does not fit alone gets error records.</li>
 * </ol>
 * Results never depend on any of this: the forward computes each row the same way whatever the batch, adopted
 * blocks hold exactly what a prefill would write, and a restarted search is the same search. Runs on one thread.
 * The forward is {@link CausalLM#forwardSelected}: a row of a deterministic constrained search brings back only
 * its allowed tokens' logits and the row's normaliser (the same values as the whole row would give), so a device
 * need not send back the vocabulary.
 */
final class LinkScheduler {

    private final CausalLM model;
    private final KvCache cache;
    private final int rowBudget;
    private final int documentsInFlight;
    private final List<ScheduledDocument> documents = new ArrayList<>();
    /** Admitted mentions, oldest first. */
    private final List<MentionTask> admitted = new ArrayList<>();
    /** Mentions waiting for admission, in the order they became ready (preempted ones go back to the front). */
    private final Deque<MentionTask> waiting = new ArrayDeque<>();
    private final StatsCounter stats;
    /** The next document to start, taken from the source but not yet started. */
    private ScheduledDocument next;

    /**
     * @param documentsInFlight the most documents at once; 0: enough for one decode row per beam to fill the row budget
     */
    LinkScheduler(CausalLM model, KvCache cache, int rowBudget, int documentsInFlight, StatsCounter stats) {
        if (rowBudget < 1) throw new IllegalArgumentException("row budget must be >= 1, got " + rowBudget);
        this.model = model;
        this.cache = cache;
        this.rowBudget = rowBudget;
        this.documentsInFlight = documentsInFlight;
        this.stats = stats;
    }

    /** The documents submitted and not yet taken by the scheduler, oldest first. */
    interface Submissions {
        /** Takes the oldest document, or returns null when there is none. */
        ScheduledDocument poll();

        /** Takes out every document whose call was cancelled. */
        List<ScheduledDocument> removeCancelled();
    }

    /** Runs until {@code source} has no document left (returns null) and every document started is done. */
    void run(Submissions source) {
        try {
            while (true) {
                if (Thread.currentThread().isInterrupted()) throw new CancellationException("the LongBel handle was closed");
                dropCancelled(source);
                startDocuments(source);
                if (documents.isEmpty()) return; // so the source is empty too
                tick();
            }
        } catch (RuntimeException | Error e) {
            abortAll(e instanceof RuntimeException re ? re : new IllegalStateException(e));
            throw e;
        }
    }

    /** Starts documents in submission order while the limit allows (a document taken but not started waits here). */
    private void startDocuments(Submissions source) {
        while (true) {
            if (next == null) next = source.poll();
            if (next == null || documents.size() >= limitFor(next.numBeams)) return;
            documents.add(next);
            next = null;
        }
    }

    private int limitFor(int beams) {
        return documentsInFlight > 0 ? documentsInFlight : Math.max(1, (rowBudget + beams - 1) / beams);
    }

    /** One scheduling round: new mentions, admission, one forward, the searches' steps. */
    private void tick() {
        long start = System.nanoTime();
        try {
            readyNextMentions();
            admit();
            forwardAndStep();
        } finally { // counted per tick: a caller may read the statistics as soon as its last page is handed over
            stats.addNanos(System.nanoTime() - start);
            stats.kv(cache.peakBytesInUse(), cache.evictions());
            reportKv();
        }
    }

    /**
     * Fails the documents of cancelled calls: those in flight (their mentions are freed), the one waiting for a slot,
     * and those still queued, wherever they are in the queue (a cancelled call does not wait for its turn).
     */
    private void dropCancelled(Submissions source) {
        for (ScheduledDocument d : List.copyOf(documents)) {
            if (d.cancel.isCancelled()) fail(d, cancelled());
        }
        if (next != null && next.cancel.isCancelled()) {
            ScheduledDocument d = next;
            next = null;
            d.onFailure.accept(cancelled());
        }
        for (ScheduledDocument d : source.removeCancelled()) d.onFailure.accept(cancelled());
    }

    private static CancellationException cancelled() {
        return new CancellationException("linking was cancelled");
    }

    /** Each document without a mention in flight offers its next one (or finishes). */
    private void readyNextMentions() {
        for (ScheduledDocument d : List.copyOf(documents)) {
            if (d.task != null) continue;
            DocumentRun.Pending p;
            try {
                p = d.run.next();
            } catch (RuntimeException e) {
                fail(d, e);
                continue;
            }
            if (p == null) {
                documents.remove(d);
                reportKv();
                d.onDone.accept(d.run.result());
                continue;
            }
            d.task = new MentionTask(d, p, worstCaseBytes(p.ids().length, d.numBeams, d.maxNewTokens));
            waiting.addLast(d.task);
        }
    }

    private long worstCaseBytes(int promptTokens, int beams, int maxNewTokens) {
        long blocks = blocksFor(promptTokens) + (long) beams * (blocksFor(maxNewTokens) + 1);
        return blocks * cache.blockBytes();
    }

    private long blocksFor(int tokens) {
        return (tokens + cache.blockSize() - 1) / cache.blockSize();
    }

    /**
     * Admits waiting mentions in order while the worst case of each fits the KV budget left now (mentions admitted
     * in this round count with their worst case). The growth of mentions already running is not reserved: when
     * a tick does not fit, the youngest are preempted. With nothing admitted, the first waiting one always is.
     */
    private void admit() {
        long free = cache.freeBytes();
        while (!waiting.isEmpty()) {
            MentionTask t = waiting.peekFirst();
            if (!admitted.isEmpty() && t.worstCaseBytes > free) return;
            waiting.removeFirst();
            int reused = t.admit(cache);
            if (!t.counted) { // a preempted mention's prompt counts once
                t.counted = true;
                stats.prompt(t.prompt().length, reused);
            }
            admitted.add(t);
            free -= t.worstCaseBytes;
        }
    }

    /** The sequences of one forward and, per task, which of them are its rows. */
    private static final class Tick {
        final List<MentionTask> tasks = new ArrayList<>();
        /** Per task: its first sequence in the forward and how many it has (prefill: 1; decode: one per slot). */
        final List<Integer> firstEntry = new ArrayList<>();
        final List<Integer> entries = new ArrayList<>();
        final List<Integer> seqs = new ArrayList<>();
        final List<int[]> tokens = new ArrayList<>();
        final List<int[]> logitIndices = new ArrayList<>();
        /** Per sequence, per logit row: the token ids its search needs, or null for the whole row. */
        final List<int[][]> select = new ArrayList<>();
        int rows;

        void add(int seq, int[] ids, int[] logitAt, int[][] wanted) {
            seqs.add(seq);
            tokens.add(ids);
            logitIndices.add(logitAt);
            select.add(wanted);
            rows += ids.length;
        }
    }

    private static final int[] NO_LOGITS = new int[0];
    private static final int[][] NO_ROWS = new int[0][];
    private static final int[] LAST_ONLY = {0};

    /**
     * Decode rows of every decoding mention (oldest first), then prefill chunks up to the row budget. Each logit
     * row asks for what its search's next step needs ({@link DecodingSearch#wantedIds}): a constrained
     * deterministic search only its allowed tokens, anything else the whole row.
     */
    private Tick plan() {
        Tick t = new Tick();
        for (MentionTask task : admitted) {
            if (!task.decoding()) continue;
            int[] need = task.search.slotsNeedingLogits();
            if (t.rows > 0 && t.rows + need.length > rowBudget) break;
            t.tasks.add(task);
            t.firstEntry.add(t.seqs.size());
            t.entries.add(need.length);
            int[][] wanted = task.search.wantedIds();
            for (int j = 0; j < need.length; j++) {
                int slot = need[j];
                t.add(task.slots.sequence(slot), new int[] {task.selection.tokens()[slot]}, LAST_ONLY, new int[][] {wanted[j]});
            }
        }
        for (MentionTask task : admitted) {
            if (task.decoding()) continue;
            int left = rowBudget - t.rows;
            if (left <= 0) break;
            int[] prompt = task.prompt();
            int chunk = Math.min(left, prompt.length - task.prefilled);
            boolean last = task.prefilled + chunk == prompt.length;
            t.tasks.add(task);
            t.firstEntry.add(t.seqs.size());
            t.entries.add(1);
            // the chunk that ends the prompt gives the first step's row (one: every slot is a copy of the prompt)
            t.add(task.promptSeq, Arrays.copyOfRange(prompt, task.prefilled, task.prefilled + chunk),
                    last ? new int[] {chunk - 1} : NO_LOGITS, last ? new int[][] {task.search.wantedIds()[0]} : NO_ROWS);
        }
        return t;
    }

    /** Runs the tick's forward, preempting the youngest mentions until it fits the KV budget. */
    private void forwardAndStep() {
        while (!admitted.isEmpty()) {
            Tick t = plan();
            LogitRow[][] logits;
            long start = System.nanoTime();
            try {
                logits = model.forwardSelected(cache, t.seqs.stream().mapToInt(Integer::intValue).toArray(),
                        t.tokens.toArray(int[][]::new), t.logitIndices.toArray(int[][]::new), t.select.toArray(int[][][]::new));
            } catch (KvCacheFullException e) {
                MentionTask victim = admitted.removeLast();
                if (admitted.isEmpty()) { // it does not fit even alone
                    victim.release(cache);
                    finish(victim, null, victim.document.run.kvBudgetError(victim.pending, e));
                } else {
                    victim.reset(cache);
                    waiting.addFirst(victim);
                    stats.preempted();
                }
                continue;
            }
            stats.forward(t.rows, System.nanoTime() - start);
            dispatch(t, logits);
            return;
        }
    }

    private void dispatch(Tick t, LogitRow[][] logits) {
        for (int i = 0; i < t.tasks.size(); i++) {
            MentionTask task = t.tasks.get(i);
            int e = t.firstEntry.get(i);
            if (task.decoding()) {
                int n = t.entries.get(i);
                LogitRow[] rows = new LogitRow[n];
                for (int j = 0; j < n; j++) rows[j] = logits[e + j][0];
                step(task, rows);
            } else {
                int chunk = t.tokens.get(e).length;
                task.prefilled += chunk;
                stats.prefilled(chunk);
                if (task.prefilled == task.prompt().length) {
                    task.startDecoding(cache);
                    step(task, new LogitRow[] {logits[e][0]});
                }
            }
        }
    }

    /** One search step of a task with its rows' logits; a finished search completes the mention. */
    private void step(MentionTask task, LogitRow[] rows) {
        Selection selection;
        try {
            selection = task.search.step(rows);
        } catch (DecodingException e) {
            retire(task);
            finish(task, null, "decoding failed: " + e.getMessage());
            return;
        }
        stats.step();
        if (task.search.isDone()) {
            retire(task);
            finish(task, task.search, null);
        } else {
            task.slots.follow(selection.parents());
            task.selection = selection;
        }
    }

    private void retire(MentionTask task) {
        task.release(cache);
        admitted.remove(task);
    }

    /** Records a mention's result (search done) or error; the document offers its next mention next tick. */
    private void finish(MentionTask task, DecodingSearch done, String error) {
        ScheduledDocument d = task.document;
        d.task = null;
        try {
            if (error != null) {
                d.run.fail(task.pending, error);
            } else {
                d.run.complete(task.pending, done.result());
                stats.mentionDecoded();
            }
        } catch (RuntimeException e) {
            fail(d, e);
        }
    }

    /** Stops a document: frees its mention, tells its caller. */
    private void fail(ScheduledDocument d, RuntimeException e) {
        MentionTask t = d.task;
        if (t != null) {
            t.release(cache);
            admitted.remove(t);
            waiting.remove(t);
            d.task = null;
        }
        if (documents.remove(d)) {
            reportKv();
            d.onFailure.accept(e);
        }
    }

    /** Records what the cache holds now; called before a page is handed over, so its caller sees its memory freed. */
    private void reportKv() {
        stats.kvInUse(cache.bytesInUse(), cache.liveSequences());
    }

    private void abortAll(RuntimeException e) {
        for (ScheduledDocument d : List.copyOf(documents)) fail(d, e);
        if (e instanceof CancellationException && next != null) { // closing: the document taken but not started stops too
            next.onFailure.accept(e);
            next = null;
        }
        waiting.clear();
        admitted.clear();
    }
}
