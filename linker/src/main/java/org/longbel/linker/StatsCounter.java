package org.longbel.linker;

/** The scheduler's running counts behind {@link LinkStats}; written by the scheduler thread, read by anyone. */
final class StatsCounter {
    private long mentions, promptTokens, prefilledTokens, reusedTokens, forwardCalls, rows, decodeSteps, preemptions,
            peakKvBytes, evictedBlocks, forwardNanos, nanos;
    /** What the KV cache held when the scheduler last looked (a gauge, not a count). */
    private long kvBytesInUse;
    private int kvSequences;

    synchronized void prompt(int tokens, int reused) {
        promptTokens += tokens;
        reusedTokens += reused;
    }

    synchronized void prefilled(int tokens) {
        prefilledTokens += tokens;
    }

    synchronized void forward(int rowCount, long nanoseconds) {
        forwardCalls++;
        rows += rowCount;
        forwardNanos += nanoseconds;
    }

    synchronized void step() {
        decodeSteps++;
    }

    synchronized void mentionDecoded() {
        mentions++;
    }

    synchronized void preempted() {
        preemptions++;
    }

    /** The cache's peak bytes in use and its evictions so far (both cumulative in the cache). */
    synchronized void kv(long peakBytes, long evictions) {
        peakKvBytes = Math.max(peakKvBytes, peakBytes);
        evictedBlocks = Math.max(evictedBlocks, evictions);
    }

    /** The cache's bytes in use and live sequences now. */
    synchronized void kvInUse(long bytes, int sequences) {
        kvBytesInUse = bytes;
        kvSequences = sequences;
    }

    synchronized KvUsage kvUsage(long budgetBytes) {
        return new KvUsage(kvBytesInUse, kvSequences, budgetBytes);
    }

    synchronized void addNanos(long n) {
        nanos += n;
    }

    synchronized LinkStats snapshot() {
        return new LinkStats(mentions, promptTokens, prefilledTokens, reusedTokens, forwardCalls, rows, decodeSteps,
                preemptions, evictedBlocks, peakKvBytes, forwardNanos, nanos);
    }
}
