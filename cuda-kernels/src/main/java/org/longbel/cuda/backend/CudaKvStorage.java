package org.longbel.cuda.backend;

import org.longbel.core.kv.KvLayout;
import org.longbel.core.kv.KvStorage;

/**
 * {@link KvStorage} on the GPU: one device allocation of {@code capacity} blocks, made when the cache is made, so
 * a budget that does not fit fails at once with the memory message rather than in the middle of a run. Block
 * copies (copy-on-write) are device-to-device copies on the backend's stream.
 */
final class CudaKvStorage implements KvStorage {

    static final String PURPOSE = "kv-cache";

    private final Gpu gpu;
    private final KvLayout layout;
    private final int capacity;
    private final Gpu.DeviceMemory pool;
    private boolean closed;

    CudaKvStorage(Gpu gpu, KvLayout layout, int capacity) {
        this.gpu = gpu;
        this.layout = layout;
        this.capacity = capacity;
        this.pool = gpu.allocate(PURPOSE, capacity * layout.blockBytes());
    }

    @Override
    public KvLayout layout() { return layout; }

    @Override
    public int capacity() { return capacity; }

    /** The pool: block s starts {@code s * layout().blockBytes()} bytes in. */
    Gpu.DeviceMemory pool() {
        if (closed) throw new IllegalStateException("KV storage is closed");
        return pool;
    }

    @Override
    public void copy(int from, int to) {
        long bytes = layout.blockBytes();
        gpu.copy(pool().at(from * bytes), pool.at(to * bytes), bytes);
    }

    @Override
    public long bytesReserved() { return closed ? 0 : pool.bytes(); }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        gpu.free(pool);
    }
}
