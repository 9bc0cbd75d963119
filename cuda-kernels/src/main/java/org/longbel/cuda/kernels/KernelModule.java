package org.longbel.cuda.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.longbel.cuda.CudaException;
import org.longbel.cuda.NativeLibraries;

/**
 * The project's kernels loaded into the current CUDA context, every kernel's {@link CUfunction} resolved
 * once.
 *
 * <p>{@link #load()} first loads the committed PTX ({@value #PTX_RESOURCE}, built by
 * {@code scripts/build-ptx.sh}). Where the driver refuses it — a CUDA 12 driver refuses the PTX ISA 9.0
 * that nvcc 13 writes ({@code CUDA_ERROR_UNSUPPORTED_PTX_VERSION}), or reports it invalid — it compiles the
 * bundled source ({@value #SOURCE_RESOURCE}) with {@link Nvrtc} for the device's compute capability
 * ({@code --gpu-architecture=compute_XY}) and loads that. NVRTC of the driver's major version is preferred,
 * since a newer NVRTC writes a PTX ISA the older driver refuses as well. {@link #description()} says which
 * path was taken.
 */
public final class KernelModule implements AutoCloseable {

    /** Every kernel of longbel_kernels.cu that the Java side launches. */
    public static final List<String> KERNEL_NAMES = List.of("embed_bf16", "rms_norm", "rms_norm_f32w", "rope", "write_kv",
            "attention", "silu_mul", "add_inplace", "f32_to_bf16", "bf16_to_f32", "gather_rows", "row_logsumexp", "row_normalizers",
            "gather_logits", "topk_rows");
    /** The committed PTX, a class-path resource. */
    public static final String PTX_RESOURCE = "/org/longbel/cuda/ptx/longbel_kernels.ptx";
    /** The kernels' source, a class-path resource (copied from src/main/cuda by the build). */
    public static final String SOURCE_RESOURCE = "/org/longbel/cuda/cu/longbel_kernels.cu";

    /** Driver errors on loading the PTX after which compiling the source with NVRTC may help. */
    static final Set<Integer> NVRTC_HELPS = Set.of(CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION,
            CUresult.CUDA_ERROR_INVALID_PTX, CUresult.CUDA_ERROR_INVALID_IMAGE, CUresult.CUDA_ERROR_NO_BINARY_FOR_GPU);

    private final CUmodule module;
    private final Map<String, CUfunction> functions;
    private final String description;

    private KernelModule(CUmodule module, Map<String, CUfunction> functions, String description) {
        this.module = module;
        this.functions = functions;
        this.description = description;
    }

    /** Loads the kernels into the calling thread's current CUDA context (the caller created it). */
    public static KernelModule load() {
        int[] version = new int[1];
        int driverVersion = JCudaDriver.cuDriverGetVersion(version) == CUresult.CUDA_SUCCESS ? version[0] : 0;
        CUdevice device = new CUdevice();
        checked("cuCtxGetDevice", JCudaDriver.cuCtxGetDevice(device));
        int capability = 10 * attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)
                + attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        CUmodule[] loaded = new CUmodule[1];
        String description = choose(new Driver(driverVersion, capability, image -> {
            CUmodule module = new CUmodule();
            int status = loadModule(module, image);
            if (status == CUresult.CUDA_SUCCESS) loaded[0] = module;
            return status;
        }), NativeLibraries.searchDirectories(), true);
        return resolve(loaded[0], description);
    }

    /**
     * What {@link #choose} needs of the driver: its version, the device's compute capability (e.g. 90) and a way to
     * load a PTX image (returns the CUDA status).
     */
    record Driver(int version, int computeCapability, java.util.function.ToIntFunction<byte[]> loadImage) {
    }

    /**
     * Loads the committed PTX through {@code driver}, or, where the driver refuses it in a way NVRTC can help with,
     * the bundled source compiled by the NVRTC found in {@code nvrtcDirectories}; returns which path was taken, for
     * the log. Throws one {@link CudaException} saying why the PTX was refused and why NVRTC could not help.
     */
    static String choose(Driver driver, List<java.nio.file.Path> nvrtcDirectories, boolean tryPlainNames) {
        String ptxText = ptx();
        String ptxVersion = ptxIsaVersion(ptxText);
        int major = driver.computeCapability() / 10, minor = driver.computeCapability() % 10;
        int status = driver.loadImage().applyAsInt(nulTerminated(ptxText));
        if (status == CUresult.CUDA_SUCCESS) {
            return "committed PTX (ISA " + ptxVersion + ") loaded by driver " + versionString(driver.version()) + " for sm_"
                    + major + minor;
        }
        String refusal = "the driver (" + versionString(driver.version()) + ") refused the committed PTX (ISA "
                + ptxVersion + "): " + CUresult.stringFor(status) + " (" + status + ")";
        if (!NVRTC_HELPS.contains(status)) throw new CudaException(refusal);

        StringBuilder whyNot = new StringBuilder();
        Optional<Nvrtc> nvrtc = Nvrtc.load(nvrtcDirectories, tryPlainNames, nvrtcNamesFor(driver.version()), whyNot);
        if (nvrtc.isEmpty()) {
            throw new CudaException(refusal + "; NVRTC could not help: " + whyNot
                    + "(set -D" + NativeLibraries.PROPERTY + " or " + NativeLibraries.ENV
                    + " to the directory of libnvrtc.so)");
        }
        String arch = "compute_" + major + minor;
        String compiled;
        try {
            compiled = nvrtc.get().compile(source(), "longbel_kernels.cu", "--gpu-architecture=" + arch);
        } catch (CudaException e) {
            throw new CudaException(refusal + "; NVRTC could not help: " + e.getMessage());
        }
        int again = driver.loadImage().applyAsInt(nulTerminated(compiled));
        int[] v = nvrtc.get().version();
        if (again != CUresult.CUDA_SUCCESS) {
            throw new CudaException(refusal + "; NVRTC " + v[0] + "." + v[1] + " (" + nvrtc.get().loadedFrom()
                    + ") compiled the source for " + arch + " but the driver refused that too (PTX ISA "
                    + ptxIsaVersion(compiled) + "): " + CUresult.stringFor(again) + " (" + again + ")");
        }
        return refusal + "; using the source compiled at run time by NVRTC " + v[0] + "." + v[1] + " ("
                + nvrtc.get().loadedFrom() + ") for " + arch;
    }

    /** NVRTC library names to try for a driver version: the driver's own major first. */
    static List<String> nvrtcNamesFor(int driverVersion) {
        List<String> names = new ArrayList<>(Nvrtc.LIBRARY_NAMES);
        String own = "libnvrtc.so." + driverVersion / 1000;
        if (driverVersion > 0 && names.remove(own)) names.addFirst(own);
        // a newer NVRTC than the driver writes a PTX ISA that driver refuses: try it last
        if (driverVersion > 0) {
            for (String name : List.copyOf(names)) {
                String suffix = name.substring("libnvrtc.so".length());
                if (suffix.startsWith(".") && Integer.parseInt(suffix.substring(1)) > driverVersion / 1000) {
                    names.remove(name);
                    names.addLast(name);
                }
            }
        }
        return names;
    }

    /** The {@code .version} of a PTX text, e.g. "9.0", or "?". */
    static String ptxIsaVersion(String ptx) {
        for (String line : ptx.lines().limit(50).toList()) {
            String t = line.strip();
            if (t.startsWith(".version")) return t.substring(".version".length()).strip();
        }
        return "?";
    }

    static String versionString(int driverVersion) {
        return driverVersion <= 0 ? "version unknown"
                : "CUDA " + driverVersion / 1000 + "." + (driverVersion % 1000) / 10;
    }

    private static int loadModule(CUmodule module, byte[] image) {
        try {
            return JCudaDriver.cuModuleLoadData(module, image);
        } catch (jcuda.CudaException e) {  // JCudaDriver.setExceptionsEnabled(true): map the name back
            for (int code : NVRTC_HELPS) if (e.getMessage() != null && e.getMessage().contains(CUresult.stringFor(code))) return code;
            throw e;
        }
    }

    private static KernelModule resolve(CUmodule module, String description) {
        Map<String, CUfunction> functions = new LinkedHashMap<>();
        for (String name : KERNEL_NAMES) {
            CUfunction f = new CUfunction();
            checked("cuModuleGetFunction(" + name + ")", JCudaDriver.cuModuleGetFunction(f, module, name));
            functions.put(name, f);
        }
        return new KernelModule(module, Map.copyOf(functions), description);
    }

    private static int attribute(CUdevice device, int attribute) {
        int[] out = new int[1];
        checked("cuDeviceGetAttribute(" + attribute + ")", JCudaDriver.cuDeviceGetAttribute(out, attribute, device));
        return out[0];
    }

    private static void checked(String what, int status) {
        if (status != CUresult.CUDA_SUCCESS)
            throw new CudaException(what + " failed: " + CUresult.stringFor(status) + " (" + status + ")");
    }

    /** The committed PTX text. */
    public static String ptx() {
        return new String(resourceBytes(PTX_RESOURCE), StandardCharsets.US_ASCII).stripTrailing();
    }

    /** The kernels' CUDA C++ source text. */
    public static String source() {
        return new String(resourceBytes(SOURCE_RESOURCE), StandardCharsets.UTF_8);
    }

    private static byte[] resourceBytes(String resource) {
        try (InputStream in = KernelModule.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing class-path resource " + resource);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] nulTerminated(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(b, b.length + 1);
    }

    /** The kernel's function handle. */
    public CUfunction function(String name) {
        CUfunction f = functions.get(name);
        if (f == null) throw new IllegalArgumentException("no kernel " + name);
        return f;
    }

    /** Which path loaded the kernels (committed PTX, or NVRTC and why), for the log. */
    public String description() { return description; }

    @Override
    public void close() {
        JCudaDriver.cuModuleUnload(module);
    }
}
