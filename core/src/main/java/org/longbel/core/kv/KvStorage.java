package org.longbel.core.kv;

/**
 * The memory of a {@link PagedKvCache}'s blocks, owned by a backend: host memory on the CPU, one device pool on a
 * GPU. Blocks are numbered {@code 0 .. capacity()-1} ("slots"); which slot belongs to which sequence, reference
 * counts, copy-on-write decisions and the budget stay with the cache on the host. The storage only holds the
 * floats ({@link KvLayout}) and copies a block when the cache asks.
 */
public interface KvStorage extends AutoCloseable {

    /** The layout of every block. */
    KvLayout layout();

    /** Blocks this storage can hold. */
    int capacity();

    /** Copies every float of block {@code from} into block {@code to} (copy-on-write of a shared block). */
    void copy(int from, int to);

    /** Bytes of memory actually reserved so far (a host storage reserves blocks as they are first used). */
    long bytesReserved();

    /** Frees the memory; the storage cannot be used afterwards. */
    @Override
    void close();
}
