package org.longbel.cuda.backend;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;

import java.lang.foreign.MemorySegment;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * Page-locked host memory through which every copy between host memory and the device goes, so that copies are
 * asynchronous on the stream. Uploads take consecutive regions (a bump allocator); a region is reused only after
 * the stream was synchronised (a download waits for the stream, and a full arena waits before it starts again), so
 * no queued copy ever reads a region that was overwritten. Copies larger than the arena go in pieces.
 */
final class PinnedStaging implements AutoCloseable {

    private final CudaContext cuda;
    private final long capacity;
    private final Pointer memory;
    private final MemorySegment view;
    private long used;

    PinnedStaging(CudaContext cuda, long capacity) {
        this.cuda = cuda;
        this.capacity = capacity;
        this.memory = cuda.allocateHost(capacity);
        this.view = MemorySegment.ofBuffer(memory.getByteBuffer(0, capacity));
    }

    /** Queues a copy of {@code bytes} of {@code src} to device address {@code dst}. */
    void upload(MemorySegment src, long dst, long bytes) {
        for (long done = 0; done < bytes; ) {
            long piece = Math.min(bytes - done, capacity);
            long aligned = (piece + 255) & ~255L;
            if (used + aligned > capacity) {
                cuda.synchronize();            // every queued copy out of the arena is done
                used = 0;
            }
            MemorySegment.copy(src, done, view, used, piece);
            cuMemcpyHtoDAsync(cuda.pointer(dst + done), memory.withByteOffset(used), piece, cuda.stream());
            used += aligned;
            done += piece;
        }
    }

    /** Copies {@code bytes} from device address {@code src} into {@code dst}, waiting for the stream. */
    void download(long src, MemorySegment dst, long bytes) {
        cuda.synchronize();                    // queued uploads are done: the arena is free again
        used = 0;
        for (long done = 0; done < bytes; ) {
            long piece = Math.min(bytes - done, capacity);
            CUdeviceptr from = cuda.pointer(src + done);
            cuMemcpyDtoHAsync(memory, from, piece, cuda.stream());
            cuda.synchronize();
            MemorySegment.copy(view, 0, dst, done, piece);
            done += piece;
        }
    }

    @Override
    public void close() {
        cuda.freeHost(memory);
    }
}
