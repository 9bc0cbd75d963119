package org.longbel.cuda.blas;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The C stand-in for libcublas ({@code src/test/c/cublas_stub.c}), compiled with gcc into
 * {@code target/cublas-stub/<dir>/<fileName>} and driven through its {@code stub_*} exports.
 * Tests that need it skip (assumption) when gcc is missing.
 */
final class CublasStub {
    static final Path MODULE = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    static final Path SOURCE = MODULE.resolve("src/test/c/cublas_stub.c");
    private static final ConcurrentHashMap<Path, CublasStub> BUILT = new ConcurrentHashMap<>();

    final Path dir;
    final Path library;
    private final MethodHandle reset, setVersion, failNext, lastGemm, state;

    private CublasStub(Path library) {
        this.library = library;
        this.dir = library.getParent();
        SymbolLookup lib = SymbolLookup.libraryLookup(library, Arena.global());
        Linker linker = Linker.nativeLinker();
        reset = linker.downcallHandle(lib.find("stub_reset").orElseThrow(), FunctionDescriptor.ofVoid());
        setVersion = linker.downcallHandle(lib.find("stub_set_version").orElseThrow(), FunctionDescriptor.ofVoid(JAVA_INT));
        failNext = linker.downcallHandle(lib.find("stub_fail_next").orElseThrow(),
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
        lastGemm = linker.downcallHandle(lib.find("stub_last_gemm").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        state = linker.downcallHandle(lib.find("stub_state").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS));
    }

    /** The stub built as {@code target/cublas-stub/<subdir>/<fileName>} (once per JVM), state reset. */
    static CublasStub get(String subdir, String fileName) {
        Path lib = MODULE.resolve("target/cublas-stub").resolve(subdir).resolve(fileName).toAbsolutePath();
        CublasStub stub = BUILT.computeIfAbsent(lib, CublasStub::build);
        stub.reset();
        return stub;
    }

    /** The usual one: {@code target/cublas-stub/cuda13/libcublas.so.13}. */
    static CublasStub cuda13() {
        return get("cuda13", "libcublas.so.13");
    }

    private static CublasStub build(Path lib) {
        compile(lib);
        return new CublasStub(lib);
    }

    /**
     * Compiles the stub to {@code lib} (skips when gcc is missing). A {@code libcublas.so.12} gets the symbol
     * version node {@code libcublas.so.12} that JCublas 12.6's natives require, as NVIDIA's library has.
     */
    static void compile(Path lib) {
        compile(lib, lib.getFileName().toString());
    }

    /** As {@link #compile(Path)}, with the symbol version node {@code versionNode} (its name if a libcublas.so.N). */
    static void compile(Path lib, String versionNode) {
        assumeTrue(gccAvailable(), "skipped: gcc is not available to build the cuBLAS stub");
        try {
            Files.createDirectories(lib.getParent());
            List<String> cmd = new java.util.ArrayList<>(List.of("gcc", "-Wall", "-shared", "-fPIC", "-O1",
                    "-Wl,-z,noexecstack", "-Wl,-soname," + lib.getFileName(), "-o", lib.toString(), SOURCE.toString()));
            String name = lib.getFileName().toString();
            if (versionNode.matches("libcublas\\.so\\.\\d+")) {
                Path script = lib.resolveSibling(name + ".map");
                Files.writeString(script, versionNode + " { global: *; };\n");
                cmd.add("-Wl,--version-script=" + script);
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("gcc failed to build the cuBLAS stub: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot build the cuBLAS stub", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean gccAvailable() {
        try {
            Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    GemmSearch search(GemmSearch.Preference preference) {
        return GemmSearch.only(preference, List.of(dir));
    }

    void reset() { invoke(reset); }

    void setVersion(int v) { invoke(setVersion, v); }

    void failNext(String call, int status) {
        try (Arena a = Arena.ofConfined()) {
            invoke(failNext, a.allocateFrom(call), status);
        }
    }

    /** Arguments of the last cublasGemmEx, in C order. */
    record GemmCall(long calls, long handle, int transa, int transb, int m, int n, int k, float alpha, long a,
                    int aType, int lda, long b, int bType, int ldb, float beta, long c, int cType, int ldc,
                    int computeType, int algo) {}

    GemmCall lastGemm() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG, 19);
            long calls;
            try {
                calls = (long) lastGemm.invokeExact(out);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            long[] r = out.toArray(JAVA_LONG);
            return new GemmCall(calls, r[0], (int) r[1], (int) r[2], (int) r[3], (int) r[4], (int) r[5],
                    Float.intBitsToFloat((int) r[6]), r[7], (int) r[8], (int) r[9], r[10], (int) r[11],
                    (int) r[12], Float.intBitsToFloat((int) r[13]), r[14], (int) r[15], (int) r[16],
                    (int) r[17], (int) r[18]);
        }
    }

    /** Counters and last values of create/destroy/setStream/setMathMode. */
    record State(long creates, long destroys, long lastCreated, long lastDestroyed, long setStreams,
                 long streamHandle, long stream, long mathCalls, long mathHandle, long mathMode) {}

    State state() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG, 10);
            invoke(state, out);
            long[] r = out.toArray(JAVA_LONG);
            return new State(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]);
        }
    }

    private static void invoke(MethodHandle h, Object... args) {
        try {
            h.invokeWithArguments(args);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
