package org.longbel.cuda.backend;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;

import java.lang.foreign.MemorySegment;
import java.util.Locale;
import org.longbel.cuda.blas.Gemm;
import org.longbel.cuda.blas.GemmSearch;
import org.longbel.cuda.blas.Gemms;
import org.longbel.cuda.kernels.KernelModule;
import org.longbel.cuda.kernels.Kernels;
import org.longbel.cuda.kernels.Launch;

/**
 * The real {@link Gpu}: JCuda's driver API ({@link CudaContext}), pinned staging for copies ({@link PinnedStaging}),
 * the project's kernels ({@link KernelModule}: committed PTX or NVRTC) and cuBLAS ({@link Gemms}: JCublas or FFM).
 */
final class JCudaGpu implements Gpu {

    /** Pinned host memory for copies (64 MiB; larger copies go in pieces). */
    private static final long STAGING_BYTES = 64L << 20;

    private final CudaContext cuda;
    private final KernelModule module;
    private final Kernels kernels;
    private final Gemm gemm;
    private final PinnedStaging staging;

    private JCudaGpu(CudaContext cuda, KernelModule module, Gemm gemm, PinnedStaging staging) {
        this.cuda = cuda;
        this.module = module;
        this.kernels = new Kernels(module);
        this.gemm = gemm;
        this.staging = staging;
    }

    /** Opens GPU {@code ordinal}; everything opened so far is closed again if a later part fails. */
    static JCudaGpu open(int ordinal) {
        CudaContext cuda = CudaContext.open(ordinal);
        KernelModule module = null;
        Gemm gemm = null;
        try {
            module = KernelModule.load();
            gemm = Gemms.open(cuda.streamAddress(), GemmSearch.defaults());
            return new JCudaGpu(cuda, module, gemm, new PinnedStaging(cuda, STAGING_BYTES));
        } catch (RuntimeException | Error e) {
            if (gemm != null) gemm.close();
            if (module != null) module.close();
            cuda.close();
            throw e;
        }
    }

    @Override
    public String describe() {
        long[] mem = memoryInfo();
        return String.format(Locale.ROOT, "CUDA %s (compute %d.%d, %.0f GB), driver %d.%d, %s, kernels: %s",
                cuda.deviceName(), cuda.computeCapability() / 10, cuda.computeCapability() % 10, mem[1] / 1e9,
                cuda.driverVersion() / 1000, cuda.driverVersion() % 1000 / 10, gemm.description(), module.description());
    }

    @Override
    public DeviceMemoryLedger ledger() { return cuda.ledger(); }

    @Override
    public long[] memoryInfo() { return cuda.memoryInfo(); }

    @Override
    public DeviceMemory allocate(String purpose, long bytes) { return cuda.allocate(purpose, bytes); }

    @Override
    public void free(DeviceMemory memory) { cuda.free(memory); }

    @Override
    public void upload(MemorySegment src, long dst, long bytes) {
        cuda.bind();
        staging.upload(src, dst, bytes);
    }

    @Override
    public void download(long src, MemorySegment dst, long bytes) {
        cuda.bind();
        staging.download(src, dst, bytes);
    }

    @Override
    public void copy(long src, long dst, long bytes) {
        cuda.bind();
        cuMemcpyDtoDAsync(cuda.pointer(dst), cuda.pointer(src), bytes, cuda.stream());
    }

    @Override
    public void launch(Launch launch) {
        cuda.bind();
        kernels.run(launch, cuda.stream());
    }

    @Override
    public void gemm(Gemm.Operands ops, long w, long x, long out, int rows, int in, int outDim) {
        cuda.bind();
        gemm.matmul(ops, w, x, out, rows, in, outDim);
    }

    @Override
    public void bind() { cuda.bind(); }

    @Override
    public void synchronize() { cuda.synchronize(); }

    @Override
    public void close() {
        cuda.synchronize();
        staging.close();
        gemm.close();
        module.close();
        cuda.close();
    }
}
