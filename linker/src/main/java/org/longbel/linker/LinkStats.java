package org.longbel.linker;

/**
 * What the scheduler did, cumulative since a {@link LongBel} was loaded ({@link LongBel#stats()}); subtract two
 * snapshots ({@link #minus}) for one run.
 *
 * @param mentions        mentions decoded by the model (error records without a search are not counted)
 * @param promptTokens    tokens of those mentions' prompts
 * @param prefilledTokens prompt tokens actually computed (work redone after a preemption included)
 * @param reusedTokens    prompt tokens taken from cached KV blocks instead
 * @param forwardCalls    forwards run
 * @param rows            rows (tokens) of all forwards, prefill and decode
 * @param decodeSteps     search steps (one per mention per generated position)
 * @param preemptions     mentions freed and restarted because a tick did not fit the KV budget
 * @param evictedBlocks   cached KV blocks no sequence used, reclaimed to make room
 * @param peakKvBytes     the most KV-cache bytes in use at once
 * @param forwardNanos    time spent in the model's forwards
 * @param nanos           time spent with documents in flight (forwards, searches, prompts, records)
 */
public record LinkStats(long mentions, long promptTokens, long prefilledTokens, long reusedTokens, long forwardCalls,
                        long rows, long decodeSteps, long preemptions, long evictedBlocks, long peakKvBytes,
                        long forwardNanos, long nanos) {

    /** Nothing yet. */
    public static final LinkStats ZERO = new LinkStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Share of prompt tokens that came from the cache. */
    public double reuseRatio() {
        return promptTokens == 0 ? 0 : (double) reusedTokens / promptTokens;
    }

    /** Rows that were not prompt tokens: one per running beam per decode step. */
    public long decodeRows() {
        return rows - prefilledTokens;
    }

    /** Mean rows per forward. */
    public double meanRowsPerForward() {
        return forwardCalls == 0 ? 0 : (double) rows / forwardCalls;
    }

    /** Mentions per second of time with documents in flight. */
    public double mentionsPerSecond() {
        return nanos == 0 ? 0 : mentions / (nanos / 1e9);
    }

    /** The counts of a run that started at {@code earlier} (the peak is this snapshot's). */
    public LinkStats minus(LinkStats earlier) {
        return new LinkStats(mentions - earlier.mentions, promptTokens - earlier.promptTokens,
                prefilledTokens - earlier.prefilledTokens, reusedTokens - earlier.reusedTokens,
                forwardCalls - earlier.forwardCalls, rows - earlier.rows, decodeSteps - earlier.decodeSteps,
                preemptions - earlier.preemptions, evictedBlocks - earlier.evictedBlocks, peakKvBytes,
                forwardNanos - earlier.forwardNanos, nanos - earlier.nanos);
    }
}
