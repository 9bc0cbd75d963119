package org.longbel.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Minimal binding of the CUDA driver API ({@code libcuda.so.1}) through the FFM API: enough to tell
 * whether a usable GPU is present and what it is. Every call's status code is checked; a failure names
 * the call and the CUDA error code.
 */
public final class CudaDriver {

    private static final int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16;
    private static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
    private static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;

    private final MethodHandle cuInit;
    private final MethodHandle cuDriverGetVersion;
    private final MethodHandle cuDeviceGetCount;
    private final MethodHandle cuDeviceGet;
    private final MethodHandle cuDeviceGetName;
    private final MethodHandle cuDeviceTotalMem;
    private final MethodHandle cuDeviceGetAttribute;

    private CudaDriver(SymbolLookup lib) {
        Linker linker = Linker.nativeLinker();
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT;
        cuInit = bind(linker, lib, "cuInit", FunctionDescriptor.of(i32, i32));
        cuDriverGetVersion = bind(linker, lib, "cuDriverGetVersion", FunctionDescriptor.of(i32, ValueLayout.ADDRESS));
        cuDeviceGetCount = bind(linker, lib, "cuDeviceGetCount", FunctionDescriptor.of(i32, ValueLayout.ADDRESS));
        cuDeviceGet = bind(linker, lib, "cuDeviceGet", FunctionDescriptor.of(i32, ValueLayout.ADDRESS, i32));
        cuDeviceGetName = bind(linker, lib, "cuDeviceGetName",
                FunctionDescriptor.of(i32, ValueLayout.ADDRESS, i32, i32));
        cuDeviceTotalMem = bind(linker, lib, "cuDeviceTotalMem_v2",
                FunctionDescriptor.of(i32, ValueLayout.ADDRESS, i32));
        cuDeviceGetAttribute = bind(linker, lib, "cuDeviceGetAttribute",
                FunctionDescriptor.of(i32, ValueLayout.ADDRESS, i32, i32));
    }

    /**
     * Loads the driver library, or empty with the reason when it cannot be found (no NVIDIA driver on
     * this machine).
     */
    public static Optional<CudaDriver> load(StringBuilder whyNot) {
        for (String name : new String[] {"libcuda.so.1", "libcuda.so"}) {
            try {
                return Optional.of(new CudaDriver(SymbolLookup.libraryLookup(name, Arena.global())));
            } catch (IllegalArgumentException notFound) {
                // try the next name
            }
        }
        whyNot.setLength(0);
        whyNot.append("no CUDA driver library (libcuda.so.1) on this machine: no NVIDIA driver is installed, or it is not on "
                + "the loader's path");
        return Optional.empty();
    }

    /** cuInit(0); throws {@link CudaException} when the driver refuses (e.g. no device). */
    public void init() {
        check("cuInit", call(cuInit, 0));
    }

    /** Driver API version, e.g. 13000 for CUDA 13.0. */
    public int driverVersion() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            check("cuDriverGetVersion", call(cuDriverGetVersion, out));
            return out.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** Every device the driver sees. Call {@link #init()} first. */
    public List<CudaDevice> devices() {
        List<CudaDevice> devices = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            check("cuDeviceGetCount", call(cuDeviceGetCount, count));
            for (int ordinal = 0; ordinal < count.get(ValueLayout.JAVA_INT, 0); ordinal++) {
                MemorySegment handle = arena.allocate(ValueLayout.JAVA_INT);
                check("cuDeviceGet", call(cuDeviceGet, handle, ordinal));
                int dev = handle.get(ValueLayout.JAVA_INT, 0);
                MemorySegment name = arena.allocate(256);
                check("cuDeviceGetName", call(cuDeviceGetName, name, 256, dev));
                MemorySegment bytes = arena.allocate(ValueLayout.JAVA_LONG);
                check("cuDeviceTotalMem_v2", call(cuDeviceTotalMem, bytes, dev));
                devices.add(new CudaDevice(ordinal, name.getString(0), bytes.get(ValueLayout.JAVA_LONG, 0),
                        attribute(arena, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev),
                        attribute(arena, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev),
                        attribute(arena, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, dev)));
            }
        }
        return devices;
    }

    private int attribute(Arena arena, int attribute, int dev) {
        MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
        check("cuDeviceGetAttribute(" + attribute + ")", call(cuDeviceGetAttribute, out, attribute, dev));
        return out.get(ValueLayout.JAVA_INT, 0);
    }

    private static MethodHandle bind(Linker linker, SymbolLookup lib, String symbol, FunctionDescriptor fd) {
        MemorySegment address = lib.find(symbol)
                .orElseThrow(() -> new CudaException("CUDA driver library has no symbol " + symbol));
        return linker.downcallHandle(address, fd);
    }

    private static int call(MethodHandle handle, Object... args) {
        try {
            return (int) handle.invokeWithArguments(args);
        } catch (Throwable t) {
            throw new CudaException("CUDA driver call failed: " + t);
        }
    }

    private static void check(String what, int status) {
        if (status != 0) throw new CudaException(what + " failed with CUDA error " + status);
    }
}
