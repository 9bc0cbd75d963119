package org.longbel.linker;

import org.longbel.core.KvCache;
import org.longbel.decoding.DecodingSearch;
import org.longbel.decoding.Selection;
import org.longbel.decoding.SlotSequences;

/**
 * One mention inside the {@link LinkScheduler}: waiting for admission, prefilling its prompt chunk by chunk
 * (after adopting the cached blocks of its prefix), then decoding one token per running beam per tick. A
 * preempted task frees its sequences and starts over with a fresh search, which gives the same result: the
 * search is deterministic for a given seed and the forward's rows do not depend on the batch.
 */
final class MentionTask {
    final ScheduledDocument document;
    final DocumentRun.Pending pending;
    /** Bytes of KV blocks the task may need at most: its prompt plus every beam at the longest generation. */
    final long worstCaseBytes;
    DecodingSearch search;
    /** The prompt's sequence while prefilling; -1 before admission and once the beams own it. */
    int promptSeq = -1;
    /** Prompt tokens already in the cache (adopted or computed). */
    int prefilled;
    /** The beams' sequences once the prompt is in; null before. */
    SlotSequences slots;
    /** The last step's selection: the tokens the running slots feed next. */
    Selection selection;
    /** Whether the prompt tokens were already counted in the statistics (a preempted task is not counted twice). */
    boolean counted;

    MentionTask(ScheduledDocument document, DocumentRun.Pending pending, long worstCaseBytes) {
        this.document = document;
        this.pending = pending;
        this.worstCaseBytes = worstCaseBytes;
        this.search = document.newSearch(pending);
    }

    int[] prompt() {
        return pending.ids();
    }

    boolean admitted() {
        return promptSeq >= 0 || slots != null;
    }

    boolean decoding() {
        return slots != null;
    }

    /** Takes the prompt's sequence, with the cached blocks of its prefix (all but its last token at most). */
    int admit(KvCache cache) {
        promptSeq = cache.newSequence();
        prefilled = cache.adoptPrefix(promptSeq, prompt(), prompt().length - 1);
        return prefilled;
    }

    /** The prompt is in the cache: every beam starts on its sequence. */
    void startDecoding(KvCache cache) {
        slots = new SlotSequences(cache, search.numSlots(), promptSeq);
        promptSeq = -1;
    }

    /** Frees whatever the task holds in the cache. */
    void release(KvCache cache) {
        if (slots != null) slots.freeAll();
        else if (promptSeq >= 0) cache.free(promptSeq);
        slots = null;
        promptSeq = -1;
    }

    /** Frees everything and starts over (preemption): a fresh search, nothing prefilled. */
    void reset(KvCache cache) {
        release(cache);
        prefilled = 0;
        selection = null;
        search = document.newSearch(pending);
    }
}
