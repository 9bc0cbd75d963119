package org.longbel.linker;

import java.util.concurrent.CancellationException;

/**
 * Cooperative cancellation of a {@link LongBel#sample} call: once {@link #cancel()} is called, the
 * scheduler drops the call's pages at its next step (mentions in flight are freed, those not yet started
 * are skipped, even when queued behind other calls' pages) and {@code sample} throws
 * {@link CancellationException} once all of them are dropped. Thread-safe.
 */
public final class CancellationToken {
    private volatile boolean cancelled;

    /** A token that is never cancelled unless {@link #cancel()} is called. */
    public CancellationToken() {
    }

    /** Asks every run holding this token to stop at its next check. */
    public void cancel() {
        cancelled = true;
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled;
    }

    /** Throws {@link CancellationException} when cancelled. */
    public void throwIfCancelled() {
        if (cancelled) throw new CancellationException("linking was cancelled");
    }
}
