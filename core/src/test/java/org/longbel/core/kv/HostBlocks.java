package org.longbel.core.kv;

import java.lang.foreign.MemorySegment;

/** Test access to the host memory behind a {@link PagedKvCache} made with a {@link HostKvStorage}. */
final class HostBlocks {

    private HostBlocks() {
    }

    /** The memory of the blocks of a sequence, in position order. */
    static MemorySegment[] blocks(PagedKvCache cache, int seq) {
        int[] slots = cache.slots(seq);
        MemorySegment[] out = new MemorySegment[slots.length];
        for (int i = 0; i < slots.length; i++) out[i] = ((HostKvStorage) cache.storage()).block(slots[i]);
        return out;
    }

    /** The memory of block {@code index} of a sequence. */
    static MemorySegment block(PagedKvCache cache, int seq, int index) {
        return blocks(cache, seq)[index];
    }

    /** Byte offset of the keys of {@code layer} at {@code slot} inside a block. */
    static long keyOffset(PagedKvCache cache, int layer, int slot) {
        return cache.layout().keyFloat(layer, slot) * Float.BYTES;
    }

    /** Byte offset of the values of {@code layer} at {@code slot} inside a block. */
    static long valueOffset(PagedKvCache cache, int layer, int slot) {
        return cache.layout().valueFloat(layer, slot) * Float.BYTES;
    }
}
