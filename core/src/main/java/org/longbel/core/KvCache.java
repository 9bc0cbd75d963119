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

    /** The configured budget in bytes. */
    long budgetBytes();

    @Override
    void close();
}
