package org.longbel.cuda.backend;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.util.TreeMap;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;
import org.longbel.cuda.CudaException;

/**
 * One GPU through JCuda's driver API: its primary context, one stream, and memory allocations recorded in a
 * {@link DeviceMemoryLedger}. Every entry point makes the context current on the calling thread first (the
 * driver's current context is per thread).
 */
final class CudaContext implements AutoCloseable {

    /** Oldest driver API this backend runs on: CUDA 12.0. */
    static final int MIN_DRIVER_VERSION = 12000;
    /** BF16 tensor-core GEMMs and BF16 conversions need compute capability 8.0 (Ampere) or newer. */
    static final int MIN_COMPUTE_CAPABILITY = 80;

    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final Stream stream = new Stream();
    private final DeviceMemoryLedger ledger = new DeviceMemoryLedger();
    /** Live allocations by start address. */
    private final TreeMap<Long, DevicePointer> allocations = new TreeMap<>();
    private final int driverVersion;
    private final int computeCapability;
    private boolean closed;

    private CudaContext(int ordinal) {
        JCudaDriver.setExceptionsEnabled(true);
        cuInit(0);
        int[] version = new int[1];
        cuDriverGetVersion(version);
        driverVersion = version[0];
        String tooOld = driverProblem(driverVersion);
        if (tooOld != null) throw new CudaException(tooOld);
        cuDeviceGet(device, ordinal);
        computeCapability = 10 * attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)
                + attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        String weak = computeProblem(computeCapability);
        if (weak != null) throw new CudaException("GPU " + ordinal + ": " + weak);
        cuDevicePrimaryCtxRetain(context, device);
        cuCtxSetCurrent(context);
        cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING);
    }

    /**
     * Opens GPU {@code ordinal}. Failures of the native side (JCuda's natives need {@code libcuda.so.1}) and of
     * the driver become a {@link CudaException} with one line a user can act on.
     */
    static CudaContext open(int ordinal) {
        try {
            return new CudaContext(ordinal);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new CudaException("JCuda's driver natives did not load (they need the NVIDIA driver's libcuda.so.1): "
                    + firstLine(e.getMessage()));
        } catch (jcuda.CudaException e) {
            throw new CudaException("CUDA driver: " + e.getMessage());
        }
    }

    /** Null when the driver API version is new enough, else why not. */
    static String driverProblem(int version) {
        if (version >= MIN_DRIVER_VERSION) return null;
        return "the NVIDIA driver supports CUDA " + version / 1000 + "." + version % 1000 / 10
                + "; the CUDA backend needs a driver for CUDA 12.0 or newer (525 or later): update the driver or use --device cpu";
    }

    /** Null when the compute capability (e.g. 90 for 9.0) has BF16, else why not. */
    static String computeProblem(int capability) {
        if (capability >= MIN_COMPUTE_CAPABILITY) return null;
        return "compute capability " + capability / 10 + "." + capability % 10
                + " has no BF16 arithmetic; the CUDA backend needs 8.0 or newer (A100, H100, L4, RTX 30xx...): use --device cpu";
    }

    static String firstLine(String message) {
        if (message == null) return "(no message)";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private int attribute(int attribute) {
        int[] value = new int[1];
        cuDeviceGetAttribute(value, attribute, device);
        return value[0];
    }

    /** Makes this context current on the calling thread. */
    void bind() {
        if (closed) throw new IllegalStateException("the CUDA backend is closed");
        cuCtxSetCurrent(context);
    }

    CUstream stream() { return stream; }

    /** The stream's raw handle (for cuBLAS bound through FFM). */
    long streamAddress() { return stream.address(); }

    DeviceMemoryLedger ledger() { return ledger; }

    /** The device's name, e.g. "NVIDIA H100 80GB HBM3". */
    String deviceName() {
        byte[] name = new byte[256];
        JCudaDriver.cuDeviceGetName(name, name.length, device);
        int n = 0;
        while (n < name.length && name[n] != 0) n++;
        return new String(name, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }

    int driverVersion() { return driverVersion; }

    int computeCapability() { return computeCapability; }

    /** {free, total} bytes of device memory. */
    long[] memoryInfo() {
        bind();
        long[] free = new long[1], total = new long[1];
        cuMemGetInfo(free, total);
        return new long[] {free[0], total[0]};
    }

    /** {@code bytes} of device memory for {@code purpose}; a refusal becomes the ledger's out-of-memory message. */
    Gpu.DeviceMemory allocate(String purpose, long bytes) {
        bind();
        DevicePointer p = new DevicePointer();
        try {
            cuMemAlloc(p, Math.max(bytes, 1));
        } catch (jcuda.CudaException e) {
            if (e.getMessage() != null && e.getMessage().contains(CUresult.stringFor(CUresult.CUDA_ERROR_OUT_OF_MEMORY))) {
                long[] info = memoryInfo();
                throw new CudaException(ledger.outOfMemory(purpose, bytes, info[0], info[1]));
            }
            throw new CudaException("cuMemAlloc of " + bytes + " bytes for " + purpose + ": " + e.getMessage());
        }
        ledger.allocated(purpose, bytes);
        Gpu.DeviceMemory m = new Gpu.DeviceMemory(p.address(), bytes, purpose);
        synchronized (allocations) {
            allocations.put(m.address(), p);
        }
        return m;
    }

    /** Frees what {@link #allocate} gave. */
    void free(Gpu.DeviceMemory m) {
        bind();
        DevicePointer p;
        synchronized (allocations) {
            p = allocations.remove(m.address());
        }
        if (p == null) throw new IllegalStateException("no device allocation at 0x" + Long.toHexString(m.address()));
        cuMemFree(p);
        ledger.freed(m.purpose(), m.bytes());
    }

    /** JCuda's pointer to device address {@code address}, inside an allocation of this context. */
    CUdeviceptr pointer(long address) {
        DevicePointer base;
        synchronized (allocations) {
            var e = allocations.floorEntry(address);
            base = e == null ? null : e.getValue();
        }
        if (base == null) throw new IllegalArgumentException("0x" + Long.toHexString(address) + " is in no device allocation");
        return address == base.address() ? base : base.withByteOffset(address - base.address());
    }

    /** Page-locked host memory of {@code bytes} (for copies that come back from the device). */
    Pointer allocateHost(long bytes) {
        bind();
        Pointer p = new Pointer();
        JCudaDriver.cuMemHostAlloc(p, bytes, 0);
        return p;
    }

    void freeHost(Pointer p) {
        bind();
        cuMemFreeHost(p);
    }

    /** Waits for everything queued on the stream. */
    void synchronize() {
        bind();
        cuStreamSynchronize(stream);
    }

    @Override
    public void close() {
        if (closed) return;
        cuCtxSetCurrent(context);
        cuStreamSynchronize(stream);
        cuStreamDestroy(stream);
        closed = true;
        cuDevicePrimaryCtxRelease(device);
    }

    /** JCuda's stream, with its raw handle. */
    static final class Stream extends CUstream {
        long address() { return getNativePointer(); }
    }

    /** JCuda's pointer of an allocation, with its raw address. */
    private static final class DevicePointer extends CUdeviceptr {
        long address() { return getNativePointer(); }
    }
}
