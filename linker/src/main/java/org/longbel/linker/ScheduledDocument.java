package org.longbel.linker;

import java.util.function.Consumer;
import java.util.function.Function;
import org.longbel.decoding.DecodingSearch;

/**
 * A page in the {@link LinkScheduler}: its {@link DocumentRun}, the search settings and callbacks of the
 * {@code sample} call that submitted it, and its mention in flight (at most one).
 */
final class ScheduledDocument {
    final DocumentRun run;
    final Function<DocumentRun.Pending, DecodingSearch> searches;
    final int numBeams;
    final int maxNewTokens;
    final CancellationToken cancel;
    final Consumer<PageResult> onDone;
    final Consumer<RuntimeException> onFailure;
    MentionTask task;

    ScheduledDocument(DocumentRun run, Function<DocumentRun.Pending, DecodingSearch> searches, int numBeams,
                      int maxNewTokens, CancellationToken cancel, Consumer<PageResult> onDone, Consumer<RuntimeException> onFailure) {
        this.run = run;
        this.searches = searches;
        this.numBeams = numBeams;
        this.maxNewTokens = maxNewTokens;
        this.cancel = cancel;
        this.onDone = onDone;
        this.onFailure = onFailure;
    }

    DecodingSearch newSearch(DocumentRun.Pending p) {
        return searches.apply(p);
    }
}
