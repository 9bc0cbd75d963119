package org.longbel.cuda.blas;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.runtime.cudaStream_t;

/**
 * {@link Gemm} on JCuda's JCublas2 (12.6), whose native library needs CUDA 12's {@code libcublas.so.12}
 * (versioned symbols; CUDA 13's {@code libcublas.so.13} does not do). Before JCublas loads, a
 * {@code libcublas.so.12} found by the {@link GemmSearch} directories is loaded by path, so that the dynamic
 * loader satisfies JCublas's dependency with it even when its directory is not on {@code LD_LIBRARY_PATH}
 * (a Python wheel's {@code nvidia/cublas/lib}). When no {@code libcublas.so.12} is found at all, JCublas is
 * refused without being touched; otherwise its natives are loaded once per JVM and a failure is remembered.
 */
final class JCublasGemm implements Gemm {

    static final String LIBRARY = "libcublas.so.12";
    /** The cuBLAS functions JCublas2 calls here, which CUDA 12's library defines with version libcublas.so.12. */
    static final List<String> SYMBOLS = List.of("cublasCreate_v2", "cublasDestroy_v2", "cublasSetStream_v2",
            "cublasSetMathMode", "cublasGetVersion_v2", "cublasGemmEx", "cublasGetStatusString");

    /**
     * Null until JCublas2's natives were first tried; then "" when they loaded, else the one-line reason they
     * did not (a failed class initialisation cannot be retried in this JVM).
     */
    private static String loadOutcome;
    private static String loadedFrom = "";
    private static Constructor<cudaStream_t> streamConstructor;

    private final cublasHandle handle = new cublasHandle();
    private final Pointer alpha = Pointer.to(new float[] {1.0f});
    private final Pointer beta = Pointer.to(new float[] {0.0f});
    private final String description;
    private boolean closed;

    private JCublasGemm(long stream) {
        check("cublasCreate", JCublas2.cublasCreate(handle));
        try {
            check("cublasSetStream", JCublas2.cublasSetStream(handle, stream(stream)));
            check("cublasSetMathMode", JCublas2.cublasSetMathMode(handle, Cublas.CUBLAS_DEFAULT_MATH));
            int[] version = new int[1];
            check("cublasGetVersion", JCublas2.cublasGetVersion(handle, version));
            description = "JCublas on cuBLAS " + Cublas.version(version[0]) + " (" + loadedFrom + ")";
        } catch (RuntimeException e) {
            JCublas2.cublasDestroy(handle);
            throw e;
        }
    }

    /** Loads JCublas (once) and creates a handle on {@code stream}; throws with a one-line reason if it cannot. */
    static JCublasGemm open(long stream, GemmSearch search) {
        String outcome = load(search);
        if (!outcome.isEmpty()) throw new IllegalStateException(outcome);
        return new JCublasGemm(stream);
    }

    private static synchronized String load(GemmSearch search) {
        if (loadOutcome != null) return loadOutcome;
        List<String> refusals = new ArrayList<>();
        Optional<CublasLibrary.Loaded> pre = CublasLibrary.load(search, List.of(LIBRARY), refusals);
        if (pre.isEmpty() && !systemLoaderHas(LIBRARY)) {
            // Not touching JCublas2 leaves it loadable by a later open with a better search.
            return "JCublas needs " + LIBRARY + " (CUDA 12), which is neither in the search directories nor known"
                    + " to the system loader" + (refusals.isEmpty() ? "" : " (" + String.join("; ", refusals) + ")");
        }
        loadedFrom = pre.map(CublasLibrary.Loaded::where).orElse("system loader: " + LIBRARY);
        List<String> missing = CublasLibrary.missingVersionedSymbols(
                pre.map(l -> l.path().toString()).orElse(LIBRARY), LIBRARY, SYMBOLS);
        if (!missing.isEmpty()) {
            // JCublas would load, then kill the JVM ("symbol lookup error") at its first call.
            return "JCublas needs " + LIBRARY + " (CUDA 12), but " + loadedFrom + " lacks " + String.join(", ",
                    missing.stream().map(m -> m + "@" + LIBRARY).toList()) + " (not CUDA 12's cuBLAS)";
        }
        try {
            JCublas2.initialize();
            Constructor<cudaStream_t> c = cudaStream_t.class.getDeclaredConstructor(long.class);
            c.setAccessible(true);
            streamConstructor = c;
            loadOutcome = "";
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError, reflection refused
            loadOutcome = "JCublas needs " + LIBRARY + " (CUDA 12), which did not load: " + rootLine(t)
                    + (refusals.isEmpty() ? "" : " (" + String.join("; ", refusals) + ")");
        }
        return loadOutcome;
    }

    private static boolean systemLoaderHas(String name) {
        try {
            SymbolLookup.libraryLookup(name, Arena.global());
            return true;
        } catch (IllegalArgumentException notFound) {
            return false;
        }
    }

    /**
     * The most telling line of a loading failure: JCuda's LibUtils packs the dynamic loader's message
     * ("/tmp/libJCublas2-...so: libcublas.so.12: cannot open shared object file: ...") into a long
     * multi-line message; that line is taken when present, else the innermost cause's first line.
     */
    static String rootLine(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m == null) continue;
            for (String line : m.split("\\R")) {
                if (line.contains("libcublas") && !line.contains("java.library.path")) {
                    return line.strip().replaceFirst("^java\\.lang\\.UnsatisfiedLinkError: ", "");
                }
            }
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getClass().getSimpleName() + ": " + CublasLibrary.firstLine(root.getMessage());
    }

    /** A CUstream address as JCuda's runtime stream type (0 = the default stream). */
    private static cudaStream_t stream(long address) {
        if (address == 0) return new cudaStream_t();
        try {
            return streamConstructor.newInstance(address);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot wrap stream " + address + " for JCuda: " + e, e);
        }
    }

    @Override
    public String description() { return description; }

    @Override
    public void matmul(Operands ops, long w, long x, long out, int rows, int in, int outDim) {
        Cublas.checkArguments(ops, w, x, out, rows, in, outDim);
        if (closed) throw new IllegalStateException("Gemm is closed");
        int type = Cublas.dataType(ops);
        // cublasGemmEx_new is the native cublasGemmEx with a cublasComputeType_t; JCublas2.cublasGemmEx is the
        // legacy wrapper that takes a cudaDataType as compute type and migrates it.
        int status = JCublas2.cublasGemmEx_new(handle, Cublas.CUBLAS_OP_T, Cublas.CUBLAS_OP_N, outDim, rows, in,
                alpha, new DevicePointer(w), type, in, new DevicePointer(x), type, in,
                beta, new DevicePointer(out), Cublas.CUDA_R_32F, outDim,
                Cublas.CUBLAS_COMPUTE_32F, Cublas.CUBLAS_GEMM_DEFAULT);
        if (status != 0) {
            throw new CublasException("cublasGemmEx", status, JCublas2.cublasGetStatusString(status) + " [" + ops
                    + " rows=" + rows + " in=" + in + " outDim=" + outDim + "]");
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        check("cublasDestroy", JCublas2.cublasDestroy(handle));
    }

    private static void check(String call, int status) {
        if (status != 0) throw new CublasException(call, status, JCublas2.cublasGetStatusString(status));
    }

    /** A raw device address as a JCuda pointer: Pointer(long) is protected, so a subclass reaches it. */
    static final class DevicePointer extends Pointer {
        DevicePointer(long address) {
            super(address);
        }
    }
}
