package org.longbel.cuda.blas;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link Gemm} on cuBLAS through the FFM API: binds cublasCreate_v2, cublasDestroy_v2, cublasSetStream_v2,
 * cublasSetMathMode, cublasGetVersion_v2, cublasGemmEx (and cublasGetStatusString when present) of
 * {@code libcublas.so.13}, else {@code .12}, else {@code libcublas.so}. Every status is checked.
 */
final class FfmCublasGemm implements Gemm {

    /** Library names in the order they are tried, in each directory. */
    static final List<String> NAMES = List.of("libcublas.so.13", "libcublas.so.12", "libcublas.so");

    private final Binding lib;
    private final Arena arena;
    private final MemorySegment handle;
    private final MemorySegment alpha;
    private final MemorySegment beta;
    private final String description;
    private boolean closed;

    private FfmCublasGemm(Binding lib, long stream) {
        this.lib = lib;
        this.arena = Arena.ofShared();
        try {
            MemorySegment out = arena.allocate(ADDRESS);
            lib.check("cublasCreate_v2", lib.call(lib.create, out));
            handle = out.get(ADDRESS, 0);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        try {
            lib.check("cublasSetStream_v2", lib.call(lib.setStream, handle, MemorySegment.ofAddress(stream)));
            lib.check("cublasSetMathMode", lib.call(lib.setMathMode, handle, Cublas.CUBLAS_DEFAULT_MATH));
            MemorySegment version = arena.allocate(JAVA_INT);
            lib.check("cublasGetVersion_v2", lib.call(lib.getVersion, handle, version));
            description = "FFM cuBLAS " + Cublas.version(version.get(JAVA_INT, 0)) + " (" + lib.where + ")";
            alpha = arena.allocateFrom(JAVA_FLOAT, 1.0f);
            beta = arena.allocateFrom(JAVA_FLOAT, 0.0f);
        } catch (RuntimeException e) {
            lib.call(lib.destroy, handle);
            arena.close();
            throw e;
        }
    }

    /** Finds the library through {@code search}, binds it and creates a handle on {@code stream}. */
    static FfmCublasGemm open(long stream, GemmSearch search) {
        List<String> refusals = new ArrayList<>();
        Optional<CublasLibrary.Loaded> loaded = CublasLibrary.load(search, NAMES, refusals);
        if (loaded.isEmpty()) {
            throw new IllegalStateException("no " + String.join(", ", NAMES) + " found"
                    + (refusals.isEmpty() ? "" : " that loads (" + String.join("; ", refusals) + ")"));
        }
        return new FfmCublasGemm(Binding.bind(loaded.get().lookup(), loaded.get().where()), stream);
    }

    @Override
    public String description() { return description; }

    @Override
    public void matmul(Operands ops, long w, long x, long out, int rows, int in, int outDim) {
        Cublas.checkArguments(ops, w, x, out, rows, in, outDim);
        if (closed) throw new IllegalStateException("Gemm is closed");
        int type = Cublas.dataType(ops);
        int status;
        try {
            status = (int) lib.gemmEx.invokeExact(handle, Cublas.CUBLAS_OP_T, Cublas.CUBLAS_OP_N, outDim, rows, in,
                    alpha, MemorySegment.ofAddress(w), type, in, MemorySegment.ofAddress(x), type, in,
                    beta, MemorySegment.ofAddress(out), Cublas.CUDA_R_32F, outDim,
                    Cublas.CUBLAS_COMPUTE_32F, Cublas.CUBLAS_GEMM_DEFAULT);
        } catch (Throwable t) {
            throw new IllegalStateException("cublasGemmEx call failed: " + t, t);
        }
        if (status != 0) {
            throw new CublasException("cublasGemmEx", status, lib.statusString(status) + " [" + ops + " rows="
                    + rows + " in=" + in + " outDim=" + outDim + "]");
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            lib.check("cublasDestroy_v2", lib.call(lib.destroy, handle));
        } finally {
            arena.close();
        }
    }

    /** The functions of one loaded cuBLAS, resolved; no handle, so usable without a GPU. */
    static final class Binding {
        final String where;
        final MethodHandle create;
        final MethodHandle destroy;
        final MethodHandle setStream;
        final MethodHandle setMathMode;
        final MethodHandle getVersion;
        final MethodHandle gemmEx;
        /** cublasGetStatusString, or null when the library lacks it. */
        final MethodHandle statusString;

        private Binding(SymbolLookup lookup, String where) {
            this.where = where;
            Linker linker = Linker.nativeLinker();
            create = bind(linker, lookup, "cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            destroy = bind(linker, lookup, "cublasDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            setStream = bind(linker, lookup, "cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            setMathMode = bind(linker, lookup, "cublasSetMathMode", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            getVersion = bind(linker, lookup, "cublasGetVersion_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            gemmEx = bind(linker, lookup, "cublasGemmEx", FunctionDescriptor.of(JAVA_INT,
                    ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, // handle, transa, transb, m, n, k
                    ADDRESS, ADDRESS, JAVA_INT, JAVA_INT,                      // alpha, A, Atype, lda
                    ADDRESS, JAVA_INT, JAVA_INT,                               // B, Btype, ldb
                    ADDRESS, ADDRESS, JAVA_INT, JAVA_INT,                      // beta, C, Ctype, ldc
                    JAVA_INT, JAVA_INT));                                      // computeType, algo
            statusString = lookup.find("cublasGetStatusString")
                    .map(a -> linker.downcallHandle(a, FunctionDescriptor.of(ADDRESS, JAVA_INT)))
                    .orElse(null);
        }

        /** Resolves every function; throws IllegalStateException naming the first missing symbol. */
        static Binding bind(SymbolLookup lookup, String where) {
            return new Binding(lookup, where);
        }

        /** cuBLAS's own text for a status, or "" when the library has no cublasGetStatusString. */
        String statusString(int status) {
            if (statusString == null) return "";
            try {
                MemorySegment s = (MemorySegment) statusString.invokeExact(status);
                return s.equals(MemorySegment.NULL) ? "" : s.reinterpret(4096).getString(0);
            } catch (Throwable t) {
                return "";
            }
        }

        void check(String call, int status) {
            if (status != 0) throw new CublasException(call, status, statusString(status));
        }

        int call(MethodHandle h, Object... args) {
            try {
                return (int) h.invokeWithArguments(args);
            } catch (Throwable t) {
                throw new IllegalStateException("cuBLAS call failed: " + t, t);
            }
        }

        private MethodHandle bind(Linker linker, SymbolLookup lookup, String symbol, FunctionDescriptor fd) {
            return linker.downcallHandle(lookup.find(symbol).orElseThrow(() -> new IllegalStateException(
                    where + " has no symbol " + symbol)), fd);
        }
    }
}
