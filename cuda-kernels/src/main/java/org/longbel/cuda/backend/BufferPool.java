package org.longbel.cuda.backend;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Reuses device allocations between forwards: a request is rounded up to a power of two of bytes (at least 4 KiB)
 * and served from the free list of that size, so that a forward of similar shape allocates nothing new and the
 * synchronising {@code cuMemFree} runs only when the backend closes or memory runs short.
 */
final class BufferPool implements AutoCloseable {

    static final String PURPOSE = "activations";
    private static final long MIN_BYTES = 4096;

    private final CudaContext cuda;
    private final Map<Long, ArrayDeque<CudaContext.DevicePointer>> free = new HashMap<>();

    BufferPool(CudaContext cuda) {
        this.cuda = cuda;
    }

    /** The size class of a request of {@code bytes}. */
    static long sizeClass(long bytes) {
        long b = Math.max(bytes, MIN_BYTES);
        return Long.highestOneBit(b - 1) << 1;
    }

    /** A buffer of at least {@code floats} 4-byte elements. */
    synchronized CudaBuffer take(int floats) {
        long size = sizeClass(4L * floats);
        ArrayDeque<CudaContext.DevicePointer> list = free.get(size);
        CudaContext.DevicePointer p = list == null ? null : list.poll();
        if (p == null) {
            try {
                p = cuda.allocate(PURPOSE, size);
            } catch (RuntimeException outOfMemory) {
                trim();          // give back every idle buffer, then try once more
                p = cuda.allocate(PURPOSE, size);
            }
        }
        return new CudaBuffer(p, floats, this);
    }

    synchronized void release(CudaContext.DevicePointer p) {
        free.computeIfAbsent(p.bytes(), k -> new ArrayDeque<>()).push(p);
    }

    /** Frees every idle buffer. */
    synchronized void trim() {
        for (ArrayDeque<CudaContext.DevicePointer> list : free.values()) {
            for (CudaContext.DevicePointer p : list) cuda.free(p);
        }
        free.clear();
    }

    @Override
    public void close() {
        trim();
    }
}
