package org.longbel.linker;

import org.longbel.linker.output.Prediction;
import org.longbel.linker.prompt.Mention;

import java.util.List;

/**
 * Streaming callbacks of {@link LongBel#sample}. Many pages are in flight at once; the methods are called
 * from the handle's scheduler thread (for one page in mention order, pages interleaved), not from the thread
 * that called {@code sample}: an implementation must be thread-safe and should return quickly (the scheduler
 * waits for it). Every method has a no-op default.
 */
public interface LinkListener {

    /** A prompt was built and tokenized. */
    default void onPrompt(PromptRecord prompt) {
    }

    /** A mention was linked (its records, rank order). */
    default void onMention(Mention mention, List<Prediction> predictions) {
    }

    /** A page was linked completely. */
    default void onPage(String pageId, int mentions) {
    }

    /** A warning a user should see (e.g. a semantic group missing from the knowledge base). */
    default void onWarning(String message) {
    }

    /** A listener that ignores everything. */
    LinkListener NONE = new LinkListener() {
    };
}
