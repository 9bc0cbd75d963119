package org.longbel.cuda.backend;

import java.lang.foreign.MemorySegment;
import org.longbel.cuda.blas.Gemm;
import org.longbel.cuda.kernels.Launch;

/**
 * The device operations the {@link CudaBackend} is written against: memory, copies, kernel launches and GEMMs on one
 * stream, with raw device addresses. {@link JCudaGpu} is the real one (JCuda, cuBLAS, the PTX kernels); a test double
 * that runs the same launches on host memory checks the backend's orchestration without a GPU.
 *
 * <p>Every operation is queued in order on one stream: a buffer may be reused as soon as the last operation that
 * reads it has been queued.
 */
interface Gpu extends AutoCloseable {

    /** What runs: device, compute capability, memory, driver, GEMM library, kernel source. */
    String describe();

    /** What this device holds, by purpose. */
    DeviceMemoryLedger ledger();

    /** {free, total} bytes of device memory. */
    long[] memoryInfo();

    /** {@code bytes} of device memory for {@code purpose}; refused with the ledger's out-of-memory message. */
    DeviceMemory allocate(String purpose, long bytes);

    /** Frees what {@link #allocate} gave. */
    void free(DeviceMemory memory);

    /** Queues a copy of {@code bytes} of host memory to device address {@code dst}; {@code src} may change once this returns. */
    void upload(MemorySegment src, long dst, long bytes);

    /** Copies {@code bytes} from device address {@code src} into host memory, after everything queued before. */
    void download(long src, MemorySegment dst, long bytes);

    /** Queues a device-to-device copy. */
    void copy(long src, long dst, long bytes);

    /** Queues a kernel launch. */
    void launch(Launch launch);

    /** Queues {@code out[rows, outDim] = x[rows, in] · wᵀ} (float32 out, operands of type {@code ops}). */
    void gemm(Gemm.Operands ops, long w, long x, long out, int rows, int in, int outDim);

    /** Makes the device current on the calling thread. */
    void bind();

    /** Waits for everything queued. */
    void synchronize();

    @Override
    void close();

    /** A device allocation: its address, size and purpose. */
    record DeviceMemory(long address, long bytes, String purpose) {
        /** The address {@code offset} bytes in. */
        long at(long offset) { return address + offset; }
    }
}
