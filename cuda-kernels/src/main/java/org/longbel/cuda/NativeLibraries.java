package org.longbel.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Finds and loads a native library (libnvrtc, libcublas, ...) for the FFM API, recording every place it
 * looked so that a failure can say exactly where.
 *
 * <p>Search order, first hit wins, each directory tried with every name in the caller's order:
 * <ol>
 *   <li>the directories of the system property {@value #PROPERTY} (colon-separated);</li>
 *   <li>the directories of the environment variable {@value #ENV} (colon-separated);</li>
 *   <li>the directories of {@code LD_LIBRARY_PATH};</li>
 *   <li>{@code /usr/local/cuda/lib64}, {@code /usr/local/cuda/targets/x86_64-linux/lib},
 *       {@code /usr/lib/x86_64-linux-gnu};</li>
 *   <li>each plain name, left to the dynamic loader ({@code dlopen} search: ld.so.cache, RUNPATH, ...).</li>
 * </ol>
 * Libraries are loaded into the global arena: they stay loaded for the life of the JVM.
 */
public final class NativeLibraries {

    /** System property: colon-separated directories searched first. */
    public static final String PROPERTY = "longbel.cuda.libpath";
    /** Environment variable: colon-separated directories searched after the system property. */
    public static final String ENV = "LONGBEL_CUDA_LIBPATH";
    /** Directories searched after the configured ones and LD_LIBRARY_PATH. */
    public static final List<Path> DEFAULT_DIRECTORIES = List.of(
            Path.of("/usr/local/cuda/lib64"),
            Path.of("/usr/local/cuda/targets/x86_64-linux/lib"),
            Path.of("/usr/lib/x86_64-linux-gnu"));

    private NativeLibraries() {}

    /**
     * A loaded library.
     *
     * @param lookup     its symbols
     * @param loadedFrom the file it came from, or the plain name when the dynamic loader found it
     * @param directory  the directory it came from, empty when the dynamic loader found it by name
     * @param tried      every place tried before it, in order (one entry each: path or name, and why not)
     */
    public record Found(SymbolLookup lookup, String loadedFrom, Optional<Path> directory, List<String> tried) {}

    /** The directories searched, in order, from this JVM's property and environment (see the class doc). */
    public static List<Path> searchDirectories() {
        return searchDirectories(System.getProperty(PROPERTY), System.getenv(ENV), System.getenv("LD_LIBRARY_PATH"));
    }

    /** The directories searched for the given property, environment and LD_LIBRARY_PATH values (may be null). */
    public static List<Path> searchDirectories(String property, String env, String ldLibraryPath) {
        LinkedHashSet<Path> dirs = new LinkedHashSet<>();
        for (String list : new String[] {property, env, ldLibraryPath}) {
            if (list == null) continue;
            for (String dir : list.split(":")) if (!dir.isBlank()) dirs.add(Path.of(dir.strip()));
        }
        dirs.addAll(DEFAULT_DIRECTORIES);
        return List.copyOf(dirs);
    }

    /** {@link #find(List, List, boolean, StringBuilder)} over {@link #searchDirectories()}, plain names last. */
    public static Optional<Found> find(List<String> names, StringBuilder triedLog) {
        return find(names, searchDirectories(), true, triedLog);
    }

    /**
     * Loads the first of {@code names} found in {@code directories} (directory-major order), then, when
     * {@code tryPlainNames}, by plain name through the dynamic loader.
     *
     * @param triedLog receives one line per place tried and why it failed (for error messages); a success
     *                 appends nothing more than the failures before it
     * @return the library, or empty when none loaded
     */
    public static Optional<Found> find(List<String> names, List<Path> directories, boolean tryPlainNames,
                                       StringBuilder triedLog) {
        List<String> tried = new ArrayList<>();
        for (Path dir : directories) {
            for (String name : names) {
                Path file = dir.resolve(name);
                if (!Files.exists(file)) {
                    note(tried, triedLog, file + " (absent)");
                    continue;
                }
                try {
                    SymbolLookup lookup = SymbolLookup.libraryLookup(file, Arena.global());
                    return Optional.of(new Found(lookup, file.toString(), Optional.of(dir), List.copyOf(tried)));
                } catch (IllegalArgumentException | IllegalCallerException e) {
                    note(tried, triedLog, file + " (could not load: " + e.getMessage() + ")");
                }
            }
        }
        if (tryPlainNames) {
            for (String name : names) {
                try {
                    SymbolLookup lookup = SymbolLookup.libraryLookup(name, Arena.global());
                    return Optional.of(new Found(lookup, name, Optional.empty(), List.copyOf(tried)));
                } catch (IllegalArgumentException | IllegalCallerException e) {
                    note(tried, triedLog, name + " (not found by the dynamic loader)");
                }
            }
        }
        return Optional.empty();
    }

    private static void note(List<String> tried, StringBuilder log, String line) {
        tried.add(line);
        log.append("  ").append(line).append('\n');
    }
}
