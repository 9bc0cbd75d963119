package org.longbel.cuda.backend;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;

import org.longbel.core.kv.KvLayout;
import org.longbel.core.kv.KvStorage;

/**
 * {@link KvStorage} on the GPU: one device allocation of {@code capacity} blocks, made when the cache is made, so
 * a budget that does not fit fails at once with the memory message rather than in the middle of a run. Block
 * copies (copy-on-write) are device-to-device copies on the backend's stream.
 */
final class CudaKvStorage implements KvStorage {

    static final String PURPOSE = "kv-cache";

    private final CudaContext cuda;
    private final KvLayout layout;
    private final int capacity;
    private final CudaContext.DevicePointer pool;
    private boolean closed;

    CudaKvStorage(CudaContext cuda, KvLayout layout, int capacity) {
        this.cuda = cuda;
        this.layout = layout;
        this.capacity = capacity;
        this.pool = cuda.allocate(PURPOSE, capacity * layout.blockBytes());
    }

    @Override
    public KvLayout layout() { return layout; }

    @Override
    public int capacity() { return capacity; }

    /** The pool: block s starts {@code s * layout().blockBytes()} bytes in. */
    CudaContext.DevicePointer pool() {
        if (closed) throw new IllegalStateException("KV storage is closed");
        return pool;
    }

    @Override
    public void copy(int from, int to) {
        cuda.bind();
        long bytes = layout.blockBytes();
        cuMemcpyDtoDAsync(pool().at(to * bytes), pool.at(from * bytes), bytes, cuda.stream());
    }

    @Override
    public long bytesReserved() { return closed ? 0 : pool.bytes(); }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        cuda.free(pool);
    }
}
