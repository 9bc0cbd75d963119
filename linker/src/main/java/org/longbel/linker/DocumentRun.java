package org.longbel.linker;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.longbel.core.KvCacheFullException;
import org.longbel.decoding.Constraint;
import org.longbel.decoding.DecodingResult;
import org.longbel.linker.document.Page;
import org.longbel.linker.output.Prediction;
import org.longbel.linker.prompt.Mention;
import org.longbel.linker.prompt.MemoryLine;
import org.longbel.linker.prompt.MentionExtractor;

/**
 * One page being linked, as a state machine any driver can run: {@link #next()} gives the next mention's
 * prompt (built with the memory so far), the driver decodes it, then {@link #complete} or {@link #fail} records
 * it and appends its memory line. Mentions that cannot be decoded at all (unknown group, too long for the
 * context) are recorded inside {@code next()} without reaching the driver. Not thread-safe: one driver at a time.
 */
final class DocumentRun {

    /** A mention waiting for the model: its prompt (text and ids), constraint and sampling seed. */
    record Pending(Mention mention, PromptRecord prompt, Constraint constraint, long seed) {
        int[] ids() {
            return prompt.ids();
        }
    }

    private final DocumentLinker linker;
    private final Page page;
    private final int context;
    private final LinkListener listener;
    private final Iterator<Mention> mentions;
    private final int mentionCount;
    private final StringBuilder memory = new StringBuilder();
    private final List<MentionResult> results = new ArrayList<>();
    private Pending current;
    private boolean finished;

    DocumentRun(DocumentLinker linker, Page page, int contextPositions, LinkListener listener) {
        this.linker = linker;
        this.page = page;
        this.context = contextPositions;
        this.listener = listener;
        List<Mention> all = MentionExtractor.mentions(page);
        this.mentions = all.iterator();
        this.mentionCount = all.size();
    }

    /** The page. */
    Page page() {
        return page;
    }

    /**
     * The next mention to decode, or null when the page is done (then {@link LinkListener#onPage} has been
     * called). Only one mention is pending at a time: call {@link #complete} or {@link #fail} first.
     */
    Pending next() {
        if (current != null) throw new IllegalStateException("mention " + current.mention().mentionId() + " is still pending");
        while (mentions.hasNext()) {
            Mention m = mentions.next();
            String text = linker.promptText(m, memory.toString());
            int[] ids = linker.encode(text);
            PromptRecord prompt = new PromptRecord(m.mentionId(), text, ids);
            listener.onPrompt(prompt);
            String problem = linker.problem(m, ids.length, context, listener);
            Pending p = new Pending(m, prompt, problem == null ? linker.constraint(m.group()) : null,
                    DocumentLinker.mentionSeed(linker.options().seed(), m.mentionId()));
            if (problem == null) {
                current = p;
                return p;
            }
            record(p, linker.error(m, ids, problem), null);
        }
        if (!finished) {
            finished = true;
            listener.onPage(page.id(), mentionCount);
        }
        return null;
    }

    /** The pending mention was decoded. */
    void complete(Pending p, DecodingResult result) {
        int[] top = result.hypotheses().isEmpty() ? null : result.hypotheses().getFirst().tokens().clone();
        record(checkCurrent(p), linker.map(p.mention(), p.ids(), result), top);
    }

    /** The pending mention could not be decoded: N error records, its memory line is the target alone. */
    void fail(Pending p, String error) {
        record(checkCurrent(p), linker.error(p.mention(), p.ids(), error), null);
    }

    /** The pending mention's beams do not fit the KV-cache budget even alone. */
    String kvBudgetError(Pending p, KvCacheFullException e) {
        return linker.kvBudgetError(p.ids().length, e);
    }

    /** Every record so far, mention by mention. */
    List<Prediction> predictions() {
        List<Prediction> all = new ArrayList<>();
        for (MentionResult r : results) all.addAll(r.predictions());
        return all;
    }

    /** The page's results (complete once {@link #next()} returned null). */
    PageResult result() {
        return new PageResult(page, results);
    }

    private Pending checkCurrent(Pending p) {
        if (p != current) throw new IllegalStateException("mention " + p.mention().mentionId() + " is not the pending one");
        current = null;
        return p;
    }

    private void record(Pending p, DocumentLinker.Mapped mapped, int[] generatedIds) {
        // QUIRK (memory from rank 1 always): the top beam's line is added even when it named no concept
        memory.append(MemoryLine.fromCleaned(mapped.topText()));
        results.add(new MentionResult(p.mention(), p.prompt(), mapped.predictions(), generatedIds, null));
        listener.onMention(p.mention(), mapped.predictions());
    }
}
