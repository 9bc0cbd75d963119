package org.longbel.cuda.blas;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds and loads a cuBLAS shared library the way {@link GemmSearch} says. Kept small and apart so that it
 * can be swapped for the project's general native-library search.
 *
 * <p>For each directory in order, each name in order: the first file that exists is loaded (dlopen through
 * the FFM API, never unloaded). When the directory also holds the matching {@code libcublasLt} it is loaded
 * first, so that a {@code libcublas} without an {@code $ORIGIN} run path (CUDA toolkit directories) finds
 * it. Then, when the search includes the defaults, the system loader is asked for each bare name.
 */
final class CublasLibrary {
    private CublasLibrary() {}

    /** A loaded library and where it came from (a path, or "system loader: name"). */
    record Loaded(SymbolLookup lookup, String where, Path path) {}

    /**
     * Loads the first of {@code names} found by {@code search}, or empty; {@code refusals} collects one line
     * for each file that exists but failed to load.
     */
    static Optional<Loaded> load(GemmSearch search, List<String> names, List<String> refusals) {
        for (Path dir : search.directories()) {
            for (String name : names) {
                Path file = dir.resolve(name);
                if (!Files.exists(file)) continue;
                try {
                    preloadLt(dir, name);
                    Path real = file.toAbsolutePath();
                    return Optional.of(new Loaded(SymbolLookup.libraryLookup(real, Arena.global()), real.toString(),
                            real));
                } catch (IllegalArgumentException | IllegalCallerException e) {
                    String why = dlopenError(file);
                    refusals.add(file + " did not load: " + (why != null ? why : firstLine(e.getMessage())));
                }
            }
        }
        if (search.includeDefaults()) {
            for (String name : names) {
                try {
                    return Optional.of(new Loaded(SymbolLookup.libraryLookup(name, Arena.global()),
                            "system loader: " + name, null));
                } catch (IllegalArgumentException notFound) {
                    // not known to the system loader
                }
            }
        }
        return Optional.empty();
    }

    /** "looked for a, b in [d1, d2 (missing)] and on the system loader path". */
    static String whereLooked(GemmSearch search, List<String> names) {
        List<String> dirs = new ArrayList<>();
        for (Path d : search.directories()) dirs.add(Files.isDirectory(d) ? d.toString() : d + " (missing)");
        return "looked for " + String.join(", ", names) + " in " + dirs
                + (search.includeDefaults() ? " and on the system loader path" : "");
    }

    private static void preloadLt(Path dir, String cublasName) {
        Path lt = dir.resolve(cublasName.replace("libcublas", "libcublasLt"));
        if (Files.exists(lt)) SymbolLookup.libraryLookup(lt.toAbsolutePath(), Arena.global());
    }

    /**
     * The dynamic loader's own reason why {@code file} does not load (e.g. a missing libcublasLt), which the
     * FFM API's "Cannot open library" leaves out: a second dlopen, then dlerror. Null when it loads now or
     * the reason cannot be had.
     */
    static String dlopenError(Path file) {
        try {
            MethodHandle dlopen = libc("dlopen", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            MethodHandle dlerror = libc("dlerror", FunctionDescriptor.of(ValueLayout.ADDRESS));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment handle = (MemorySegment) dlopen.invokeExact(
                        arena.allocateFrom(file.toAbsolutePath().toString()), RTLD_LAZY);
                if (!handle.equals(MemorySegment.NULL)) return null;
                MemorySegment error = (MemorySegment) dlerror.invokeExact();
                return error.equals(MemorySegment.NULL) ? null : firstLine(error.reinterpret(4096).getString(0));
            }
        } catch (Throwable t) {
            return null;
        }
    }

    private static final int RTLD_LAZY = 1;

    /** A downcall to the C library's {@code name} (dlopen, dlerror, dlvsym). */
    private static MethodHandle libc(String name, FunctionDescriptor descriptor) {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(), descriptor);
    }

    /**
     * Those of {@code symbols} that the library {@code file} (a path or a name the system loader knows)
     * does not define with the symbol version {@code version} (dlopen, then dlvsym); every one when the
     * library cannot be opened or the check cannot run. JNI code linked against versioned symbols dies with
     * "symbol lookup error" at its first call if they are missing, so this is checked before.
     */
    static List<String> missingVersionedSymbols(String file, String version, List<String> symbols) {
        try {
            MethodHandle dlopen = libc("dlopen", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            MethodHandle dlvsym = libc("dlvsym",
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment handle = (MemorySegment) dlopen.invokeExact(arena.allocateFrom(file), RTLD_LAZY);
                if (handle.equals(MemorySegment.NULL)) return symbols;
                MemorySegment v = arena.allocateFrom(version);
                List<String> missing = new ArrayList<>();
                for (String symbol : symbols) {
                    MemorySegment a = (MemorySegment) dlvsym.invokeExact(handle, arena.allocateFrom(symbol), v);
                    if (a.equals(MemorySegment.NULL)) missing.add(symbol);
                }
                return missing; // the handle stays open: the library is kept loaded anyway
            }
        } catch (Throwable t) {
            return symbols;
        }
    }

    static String firstLine(String s) {
        if (s == null) return "(no message)";
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }
}
