package org.longbel.core.kv;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@link KvStorage} in host memory, off the Java heap: each block is a 64-byte aligned segment of a shared
 * {@link Arena}, reserved the first time its slot is used (a large budget costs nothing until it is filled).
 */
public final class HostKvStorage implements KvStorage {

    private static final long ALIGNMENT = 64;

    private final KvLayout layout;
    private final MemorySegment[] blocks;
    private final Arena arena = Arena.ofShared();
    private long reserved;
    private boolean closed;

    /** A storage of up to {@code capacity} blocks of {@code layout}. */
    public HostKvStorage(KvLayout layout, int capacity) {
        if (capacity < 0) throw new IllegalArgumentException("KV storage capacity must not be negative, got " + capacity);
        this.layout = layout;
        this.blocks = new MemorySegment[capacity];
    }

    @Override
    public KvLayout layout() { return layout; }

    @Override
    public int capacity() { return blocks.length; }

    /** The memory of block {@code slot}, reserved on first use. */
    public MemorySegment block(int slot) {
        if (closed) throw new IllegalStateException("KV storage is closed");
        MemorySegment b = blocks[slot];
        if (b == null) {
            b = arena.allocate(layout.blockBytes(), ALIGNMENT);
            blocks[slot] = b;
            reserved += layout.blockBytes();
        }
        return b;
    }

    @Override
    public void copy(int from, int to) {
        MemorySegment.copy(block(from), 0, block(to), 0, layout.blockBytes());
    }

    @Override
    public long bytesReserved() { return reserved; }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        arena.close();
    }
}
