package org.longbel.cuda.kernels;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.longbel.cuda.CudaException;
import org.longbel.cuda.NativeLibraries;

/**
 * Run-time CUDA C++ compiler (NVRTC) bound through the FFM API, so that any of {@code libnvrtc.so.13},
 * {@code libnvrtc.so.12} or {@code libnvrtc.so} will do (JCuda's JNvrtc is tied to one major version).
 * The library is searched as {@link NativeLibraries} documents. NVRTC loads its builtins library
 * ({@code libnvrtc-builtins.so.X.Y}) by name at compile time; where libnvrtc came from a directory, the
 * builtins beside it are loaded first so that a toolkit outside the loader's path (a pip wheel, a tarball)
 * works without LD_LIBRARY_PATH.
 */
public final class Nvrtc {

    /** Library names tried, newest first. */
    public static final List<String> LIBRARY_NAMES = List.of("libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so");

    private final String loadedFrom;
    private final MethodHandle nvrtcVersion;
    private final MethodHandle nvrtcCreateProgram;
    private final MethodHandle nvrtcCompileProgram;
    private final MethodHandle nvrtcGetPTXSize;
    private final MethodHandle nvrtcGetPTX;
    private final MethodHandle nvrtcGetProgramLogSize;
    private final MethodHandle nvrtcGetProgramLog;
    private final MethodHandle nvrtcDestroyProgram;
    private final MethodHandle nvrtcGetErrorString;

    private Nvrtc(SymbolLookup lib, String loadedFrom) {
        this.loadedFrom = loadedFrom;
        Linker linker = Linker.nativeLinker();
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT;
        ValueLayout a = ValueLayout.ADDRESS;
        nvrtcVersion = bind(linker, lib, "nvrtcVersion", FunctionDescriptor.of(i32, a, a));
        nvrtcCreateProgram = bind(linker, lib, "nvrtcCreateProgram", FunctionDescriptor.of(i32, a, a, a, i32, a, a));
        nvrtcCompileProgram = bind(linker, lib, "nvrtcCompileProgram", FunctionDescriptor.of(i32, a, i32, a));
        nvrtcGetPTXSize = bind(linker, lib, "nvrtcGetPTXSize", FunctionDescriptor.of(i32, a, a));
        nvrtcGetPTX = bind(linker, lib, "nvrtcGetPTX", FunctionDescriptor.of(i32, a, a));
        nvrtcGetProgramLogSize = bind(linker, lib, "nvrtcGetProgramLogSize", FunctionDescriptor.of(i32, a, a));
        nvrtcGetProgramLog = bind(linker, lib, "nvrtcGetProgramLog", FunctionDescriptor.of(i32, a, a));
        nvrtcDestroyProgram = bind(linker, lib, "nvrtcDestroyProgram", FunctionDescriptor.of(i32, a));
        nvrtcGetErrorString = bind(linker, lib, "nvrtcGetErrorString", FunctionDescriptor.of(a, i32));
    }

    /**
     * Loads NVRTC from the default search path, or empty with {@code whyNot} listing every place tried.
     */
    public static Optional<Nvrtc> load(StringBuilder whyNot) {
        return load(NativeLibraries.searchDirectories(), true, whyNot);
    }

    /** Loads NVRTC from the given directories (then by plain name when {@code tryPlainNames}). */
    public static Optional<Nvrtc> load(List<Path> directories, boolean tryPlainNames, StringBuilder whyNot) {
        return load(directories, tryPlainNames, LIBRARY_NAMES, whyNot);
    }

    /** As {@link #load(List, boolean, StringBuilder)}, trying the given library names in order. */
    public static Optional<Nvrtc> load(List<Path> directories, boolean tryPlainNames, List<String> names,
                                       StringBuilder whyNot) {
        StringBuilder tried = new StringBuilder();
        Optional<NativeLibraries.Found> found = NativeLibraries.find(names, directories, tryPlainNames, tried);
        if (found.isEmpty()) {
            whyNot.append("no NVRTC library (").append(String.join(", ", names))
                    .append("); looked at:\n").append(tried);
            return Optional.empty();
        }
        NativeLibraries.Found lib = found.get();
        lib.directory().ifPresent(Nvrtc::preloadBuiltins);
        try {
            return Optional.of(new Nvrtc(lib.lookup(), lib.loadedFrom()));
        } catch (CudaException e) {
            whyNot.append(lib.loadedFrom()).append(": ").append(e.getMessage());
            return Optional.empty();
        }
    }

    private static void preloadBuiltins(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().startsWith("libnvrtc-builtins.so"))
                    .sorted()
                    .forEach(f -> {
                        try {
                            SymbolLookup.libraryLookup(f, Arena.global());
                        } catch (IllegalArgumentException ignored) {
                            // NVRTC will report the missing builtins itself when it compiles
                        }
                    });
        } catch (IOException ignored) {
            // as above
        }
    }

    /** Where the library was loaded from (a path, or a plain name the dynamic loader resolved). */
    public String loadedFrom() { return loadedFrom; }

    /** NVRTC version as {major, minor}. */
    public int[] version() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment major = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment minor = arena.allocate(ValueLayout.JAVA_INT);
            check("nvrtcVersion", call(nvrtcVersion, major, minor));
            return new int[] {major.get(ValueLayout.JAVA_INT, 0), minor.get(ValueLayout.JAVA_INT, 0)};
        }
    }

    /**
     * Compiles CUDA C++ source to PTX.
     *
     * @param source  the source text (no #include of files: no headers are supplied)
     * @param name    the program's file name, used in diagnostics
     * @param options NVRTC options, e.g. {@code --gpu-architecture=compute_90}
     * @return the PTX text (without its trailing NUL)
     * @throws CudaException when compilation fails; the message holds NVRTC's error and compile log
     */
    public String compile(String source, String name, String... options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment progOut = arena.allocate(ValueLayout.ADDRESS);
            check("nvrtcCreateProgram", call(nvrtcCreateProgram, progOut, arena.allocateFrom(source),
                    arena.allocateFrom(name), 0, MemorySegment.NULL, MemorySegment.NULL));
            MemorySegment prog = progOut.get(ValueLayout.ADDRESS, 0);
            try {
                MemorySegment opts = arena.allocate(ValueLayout.ADDRESS, Math.max(1, options.length));
                for (int i = 0; i < options.length; i++) opts.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(options[i]));
                int status = call(nvrtcCompileProgram, prog, options.length, opts);
                if (status != 0) {
                    throw new CudaException("NVRTC (" + loadedFrom + ") failed to compile " + name + " with "
                            + List.of(options) + ": " + errorString(status) + " (" + status + ")\ncompile log:\n"
                            + log(arena, prog));
                }
                MemorySegment size = arena.allocate(ValueLayout.JAVA_LONG);
                check("nvrtcGetPTXSize", call(nvrtcGetPTXSize, prog, size));
                MemorySegment ptx = arena.allocate(size.get(ValueLayout.JAVA_LONG, 0) + 1);
                check("nvrtcGetPTX", call(nvrtcGetPTX, prog, ptx));
                return ptx.getString(0, StandardCharsets.UTF_8);
            } finally {
                call(nvrtcDestroyProgram, progOut);
            }
        }
    }

    private String log(Arena arena, MemorySegment prog) {
        MemorySegment size = arena.allocate(ValueLayout.JAVA_LONG);
        if (call(nvrtcGetProgramLogSize, prog, size) != 0) return "(no log)";
        MemorySegment text = arena.allocate(size.get(ValueLayout.JAVA_LONG, 0) + 1);
        if (call(nvrtcGetProgramLog, prog, text) != 0) return "(no log)";
        return text.getString(0, StandardCharsets.UTF_8);
    }

    /** NVRTC's name for a status code, e.g. NVRTC_ERROR_COMPILATION. */
    public String errorString(int status) {
        try {
            MemorySegment s = (MemorySegment) nvrtcGetErrorString.invokeExact(status);
            return s.equals(MemorySegment.NULL) ? "NVRTC error " + status : s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "NVRTC error " + status;
        }
    }

    private void check(String what, int status) {
        if (status != 0) throw new CudaException(what + " failed: " + errorString(status) + " (" + status + ")");
    }

    private static MethodHandle bind(Linker linker, SymbolLookup lib, String symbol, FunctionDescriptor fd) {
        MemorySegment address = lib.find(symbol)
                .orElseThrow(() -> new CudaException("NVRTC library has no symbol " + symbol));
        return linker.downcallHandle(address, fd);
    }

    private static int call(MethodHandle handle, Object... args) {
        try {
            return (int) handle.invokeWithArguments(args);
        } catch (Throwable t) {
            throw new CudaException("NVRTC call failed: " + t);
        }
    }
}
