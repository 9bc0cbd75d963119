package org.longbel.cuda.backend;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Reuses device allocations between forwards: a request is rounded up to a size class (at least 4 KiB; above that,
 * quarters of the power of two below the size, so at most 25% is wasted) and served from the free list of that size, so that a forward of similar shape allocates nothing new and the
 * synchronising {@code cuMemFree} runs only when the backend closes or memory runs short.
 */
final class BufferPool implements AutoCloseable {

    static final String PURPOSE = "activations";
    private static final long MIN_BYTES = 4096;

    private final Gpu gpu;
    private final Map<Long, ArrayDeque<Gpu.DeviceMemory>> free = new HashMap<>();

    BufferPool(Gpu gpu) {
        this.gpu = gpu;
    }

    /** The size class of a request of {@code bytes}. */
    static long sizeClass(long bytes) {
        if (bytes <= MIN_BYTES) return MIN_BYTES;
        long step = Long.highestOneBit(bytes - 1) / 4;   // bytes is in (4 * step, 8 * step]
        return (bytes + step - 1) / step * step;
    }

    /** A buffer of at least {@code floats} 4-byte elements. */
    synchronized CudaBuffer take(int floats) {
        long size = sizeClass(4L * floats);
        ArrayDeque<Gpu.DeviceMemory> list = free.get(size);
        Gpu.DeviceMemory p = list == null ? null : list.poll();
        if (p == null) {
            try {
                p = gpu.allocate(PURPOSE, size);
            } catch (RuntimeException outOfMemory) {
                trim();          // give back every idle buffer, then try once more
                p = gpu.allocate(PURPOSE, size);
            }
        }
        return new CudaBuffer(p, floats, this);
    }

    synchronized void release(Gpu.DeviceMemory p) {
        free.computeIfAbsent(p.bytes(), k -> new ArrayDeque<>()).push(p);
    }

    /** Frees every idle buffer. */
    synchronized void trim() {
        for (ArrayDeque<Gpu.DeviceMemory> list : free.values()) {
            for (Gpu.DeviceMemory p : list) gpu.free(p);
        }
        free.clear();
    }

    @Override
    public void close() {
        trim();
    }
}
