package org.longbel.core.kv;

import java.lang.foreign.MemorySegment;

/** One block of a {@link PagedKvCache}: its memory, reference count and, once indexed, its prefix key. */
final class KvBlock {
    final MemorySegment memory;
    /** A number unique to this allocation of the memory: the index keys a block's successors by it. */
    long id;
    int refs;
    /** The key under which the {@link PrefixIndex} holds this block, or null. */
    PrefixIndex.Key key;

    KvBlock(MemorySegment memory) {
        this.memory = memory;
    }
}
