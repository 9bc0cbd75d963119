package org.longbel.core;

/**
 * Owner of all key/value memory: sequences over fixed-size, reference-counted blocks.
 * A sequence is an int handle. Forking shares every full block and copies only the last
 * partial one on the next write (copy-on-write), so beams share their prompt and, later,
 * mentions of a document share their common prefix. Memory is bounded by a byte budget;
 * exceeding it throws {@link KvCacheFullException}, never an OutOfMemoryError.
 */
public interface KvCache extends AutoCloseable {

    /** A new empty sequence. */
    int newSequence();

    /** A new sequence holding the same tokens as {@code seq}, sharing its blocks. */
    int fork(int seq);

    /** Releases a sequence; blocks whose count drops to zero go back to the pool. */
    void free(int seq);

    /** Tokens cached for the sequence (the position of its next token). */
    int length(int seq);

    /** Bytes of blocks currently allocated. */
    long bytesInUse();

    /** Sequences made ({@link #newSequence}, {@link #fork}) and not yet freed. */
    int liveSequences();

    /** Tokens per block. */
    int blockSize();

    /** Bytes of one block (every layer's keys and values of {@code blockSize()} tokens). */
    long blockBytes();

    /** The configured budget in bytes. */
    long budgetBytes();

    /** The most bytes of blocks in use at once so far. */
    long peakBytesInUse();

    /** Bytes the budget leaves for new blocks: the budget less the blocks in use (idle indexed blocks count as free). */
    long freeBytes();

    /**
     * Prefix sharing: an empty sequence takes over the cached full blocks that hold the first tokens of
     * {@code tokens} (at most {@code maxTokens} of them, whole blocks only), so only the rest needs a prefill.
     * Returns the number of tokens adopted (a multiple of the block size; 0 when sharing is off or nothing
     * matches). Only blocks computed from exactly these token ids at exactly these positions are adopted.
     */
    int adoptPrefix(int seq, int[] tokens, int maxTokens);

    /** Turns prefix sharing on (the default) or off; turning it off forgets every indexed block. */
    void setPrefixSharing(boolean enabled);

    /** Idle indexed blocks reclaimed by allocations so far. */
    long evictions();

    @Override
    void close();
}
