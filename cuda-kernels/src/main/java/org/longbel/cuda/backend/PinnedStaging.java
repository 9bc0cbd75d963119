package org.longbel.cuda.backend;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jcuda.Pointer;
import java.util.function.LongFunction;
import jcuda.driver.CUdeviceptr;

/**
 * Page-locked host memory through which every copy between the Java heap and the device goes, so that copies are
 * asynchronous on the backend's stream. Uploads take consecutive regions (a bump allocator); a region is reused only
 * after the stream was synchronised (a download waits for the stream, and a full arena waits before it starts
 * again), so no queued copy ever reads a region that was overwritten.
 */
final class PinnedStaging implements AutoCloseable {

    private final CudaContext cuda;
    private Pointer memory;
    private ByteBuffer view;
    private long capacity;
    private long used;

    PinnedStaging(CudaContext cuda, long initialBytes) {
        this.cuda = cuda;
        grow(initialBytes);
    }

    private void grow(long bytes) {
        if (memory != null) {
            cuda.synchronize();
            cuda.freeHost(memory);
        }
        capacity = Math.max(bytes, 1 << 20);
        memory = cuda.allocateHost(capacity);
        view = memory.getByteBuffer(0, capacity).order(ByteOrder.nativeOrder());
        used = 0;
    }

    /** A region of {@code bytes} that no queued copy reads any more. */
    private long region(long bytes) {
        long aligned = (bytes + 255) & ~255L;
        if (aligned > capacity) grow(Math.max(aligned, 2 * capacity));
        if (used + aligned > capacity) {
            cuda.synchronize();
            used = 0;
        }
        long at = used;
        used += aligned;
        return at;
    }

    /** Queues a copy of {@code src[0 .. n)} to {@code dst}. */
    void upload(float[] src, int n, CUdeviceptr dst) {
        long at = region(4L * n);
        view.slice((int) at, 4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer().put(src, 0, n);
        cuMemcpyHtoDAsync(dst, memory.withByteOffset(at), 4L * n, cuda.stream());
    }

    /** Queues a copy of {@code src[0 .. n)} to {@code dst}. */
    void upload(int[] src, int n, CUdeviceptr dst) {
        long at = region(4L * n);
        view.slice((int) at, 4 * n).order(ByteOrder.nativeOrder()).asIntBuffer().put(src, 0, n);
        cuMemcpyHtoDAsync(dst, memory.withByteOffset(at), 4L * n, cuda.stream());
    }

    /** Largest single copy back: results larger than this come back in several pieces. */
    private static final int CHUNK_FLOATS = 64 << 20;

    /**
     * Copies {@code n} 4-byte elements from the device, {@code src(offset)} giving the device address of element
     * {@code offset}, into the heap through the pinned memory, waiting for the stream; {@code sink} takes each piece.
     */
    private void download(LongFunction<CUdeviceptr> src, int n, PieceSink sink) {
        int chunk = Math.min(n, CHUNK_FLOATS);
        if (4L * chunk > capacity) grow(4L * chunk);
        cuda.synchronize();                     // every queued upload is done: the arena is free again
        used = 0;
        for (int done = 0; done < n; done += chunk) {
            int piece = Math.min(chunk, n - done);
            cuMemcpyDtoHAsync(memory, src.apply(4L * done), 4L * piece, cuda.stream());
            cuda.synchronize();
            sink.take(view.slice(0, 4 * piece).order(ByteOrder.nativeOrder()), done, piece);
        }
    }

    private interface PieceSink {
        void take(ByteBuffer piece, int offset, int count);
    }

    /** Copies {@code n} floats from {@code src} into {@code dst[0 .. n)}, waiting for the stream. */
    void download(LongFunction<CUdeviceptr> src, int n, float[] dst) {
        download(src, n, (piece, offset, count) -> piece.asFloatBuffer().get(dst, offset, count));
    }

    /** Copies {@code n} ints from {@code src} into {@code dst[0 .. n)}, waiting for the stream. */
    void download(LongFunction<CUdeviceptr> src, int n, int[] dst) {
        download(src, n, (piece, offset, count) -> piece.asIntBuffer().get(dst, offset, count));
    }

    @Override
    public void close() {
        if (memory != null) {
            cuda.freeHost(memory);
            memory = null;
        }
    }
}
