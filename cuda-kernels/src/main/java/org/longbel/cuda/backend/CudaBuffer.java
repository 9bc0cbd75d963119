package org.longbel.cuda.backend;

import org.longbel.core.backend.ActivationBuffer;

/**
 * The CUDA backend's {@link ActivationBuffer}: a device allocation of at least {@code floats} 4-byte elements,
 * taken from and given back to the backend's {@link BufferPool}.
 */
final class CudaBuffer implements ActivationBuffer {

    private final Gpu.DeviceMemory memory;
    private final int floats;
    private final BufferPool pool;
    private boolean closed;

    CudaBuffer(Gpu.DeviceMemory memory, int floats, BufferPool pool) {
        this.memory = memory;
        this.floats = floats;
        this.pool = pool;
    }

    @Override
    public int floats() { return floats; }

    Gpu.DeviceMemory memory() {
        if (closed) throw new IllegalStateException("the CUDA buffer was closed");
        return memory;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        pool.release(memory);
    }
}
