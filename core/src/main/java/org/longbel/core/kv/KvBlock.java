package org.longbel.core.kv;

/** One block of a {@link PagedKvCache}: its storage slot, reference count and, once indexed, its prefix key. */
final class KvBlock {
    /** Where the block's floats are in the cache's {@link KvStorage}. */
    final int slot;
    /** A number unique to this allocation of the memory: the index keys a block's successors by it. */
    long id;
    int refs;
    /** The key under which the {@link PrefixIndex} holds this block, or null. */
    PrefixIndex.Key key;

    KvBlock(int slot) {
        this.slot = slot;
    }
}
