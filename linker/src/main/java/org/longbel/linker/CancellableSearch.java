package org.longbel.linker;

import org.longbel.core.LogitRow;
import org.longbel.decoding.DecodingResult;
import org.longbel.decoding.DecodingSearch;
import org.longbel.decoding.Selection;

/** A search that checks a {@link CancellationToken} before each decoding step. */
final class CancellableSearch implements DecodingSearch {
    private final DecodingSearch search;
    private final CancellationToken cancel;

    CancellableSearch(DecodingSearch search, CancellationToken cancel) {
        this.search = search;
        this.cancel = cancel;
    }

    @Override
    public int numSlots() {
        return search.numSlots();
    }

    @Override
    public int[] slotsNeedingLogits() {
        return search.slotsNeedingLogits();
    }

    @Override
    public int[][] wantedIds() {
        return search.wantedIds();
    }

    @Override
    public Selection step(LogitRow[] logits) {
        cancel.throwIfCancelled();
        return search.step(logits);
    }

    @Override
    public boolean isDone() {
        return search.isDone();
    }

    @Override
    public DecodingResult result() {
        return search.result();
    }
}
