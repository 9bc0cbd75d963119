package org.longbel.cuda.blas;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where and in which order {@link Gemms#open} looks for cuBLAS.
 *
 * <p>Directories are searched in this order: {@code extraDirs} (from the system property
 * {@value #LIBPATH_PROPERTY}, then the environment variable {@value #LIBPATH_ENV}, both colon-separated);
 * then, when {@code includeDefaults}, the {@code LD_LIBRARY_PATH} directories, {@code /usr/local/cuda/lib64},
 * {@code /usr/local/cuda/targets/x86_64-linux/lib}, {@code /usr/lib/x86_64-linux-gnu}, and the cuBLAS
 * directories of NVIDIA's Python wheels ({@code nvidia/cublas/lib} of the CUDA 12 wheel
 * {@code nvidia-cublas-cu12}, {@code nvidia/cu13/lib} of the CUDA 13 wheel {@code nvidia-cublas} 13.x) under
 * these site-packages directories, {@code python3*} standing for any {@code python3.N}:
 * <ul>
 *   <li>{@code $VIRTUAL_ENV/lib/python3*}{@code /site-packages} and {@code $CONDA_PREFIX/lib/python3*}{@code /site-packages}</li>
 *   <li>{@code ~/.local/lib/python3*}{@code /site-packages}</li>
 *   <li>{@code /usr/local/lib/python3*}{@code /dist-packages} and {@code .../site-packages}</li>
 *   <li>{@code /usr/lib/python3*}{@code /dist-packages} and {@code .../site-packages}</li>
 * </ul>
 * Last, when {@code includeDefaults}, the system loader is asked for the bare library name
 * ({@code ld.so.cache}, the process's {@code LD_LIBRARY_PATH}).
 *
 * @param preference      which implementation to use
 * @param extraDirs       directories searched first
 * @param includeDefaults whether the default directories and the system loader follow them (false pins the
 *                        search to {@code extraDirs}: tests, deployments that want one exact library)
 */
public record GemmSearch(Preference preference, List<Path> extraDirs, boolean includeDefaults) {

    /** System property with extra library directories, colon-separated. */
    public static final String LIBPATH_PROPERTY = "longbel.cuda.libpath";
    /** Environment variable with extra library directories, colon-separated. */
    public static final String LIBPATH_ENV = "LONGBEL_CUDA_LIBPATH";
    /** System property choosing the implementation: auto, jcublas or ffm. */
    public static final String PREFERENCE_PROPERTY = "longbel.cuda.gemm";
    /** Environment variable choosing the implementation when the property is unset. */
    public static final String PREFERENCE_ENV = "LONGBEL_CUDA_GEMM";

    /** Which implementation {@link Gemms#open} tries. */
    public enum Preference {
        /** JCublas (CUDA 12's libcublas.so.12), then the FFM binding. */
        AUTO,
        /** Only JCublas. */
        JCUBLAS,
        /** Only the FFM binding (libcublas.so.13, .12, or libcublas.so). */
        FFM;

        /** "auto", "jcublas" or "ffm", any case. */
        public static Preference parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown cuBLAS GEMM preference '" + s
                        + "' (expected auto, jcublas or ffm)");
            }
        }
    }

    public GemmSearch {
        Objects.requireNonNull(preference, "preference");
        extraDirs = List.copyOf(extraDirs);
    }

    /** The preference and extra directories from the system properties and environment, plus the defaults. */
    public static GemmSearch defaults() {
        String pref = System.getProperty(PREFERENCE_PROPERTY, System.getenv(PREFERENCE_ENV));
        List<Path> extra = new ArrayList<>(splitPath(System.getProperty(LIBPATH_PROPERTY)));
        extra.addAll(splitPath(System.getenv(LIBPATH_ENV)));
        return new GemmSearch(pref == null || pref.isBlank() ? Preference.AUTO : Preference.parse(pref),
                extra, true);
    }

    /** Only these directories, no defaults and no system loader. */
    public static GemmSearch only(Preference preference, List<Path> dirs) {
        return new GemmSearch(preference, dirs, false);
    }

    /** The same search with another preference. */
    public GemmSearch withPreference(Preference p) {
        return new GemmSearch(p, extraDirs, includeDefaults);
    }

    /** Every directory to search, in order, without duplicates (existing or not). */
    public List<Path> directories() {
        LinkedHashSet<Path> dirs = new LinkedHashSet<>(extraDirs);
        if (includeDefaults) dirs.addAll(defaultDirectories(System.getenv(), Path.of(System.getProperty("user.home"))));
        return List.copyOf(dirs);
    }

    /** The default directories for this environment and home directory (see the class comment). */
    static List<Path> defaultDirectories(Map<String, String> env, Path home) {
        List<Path> dirs = new ArrayList<>(splitPath(env.get("LD_LIBRARY_PATH")));
        dirs.add(Path.of("/usr/local/cuda/lib64"));
        dirs.add(Path.of("/usr/local/cuda/targets/x86_64-linux/lib"));
        dirs.add(Path.of("/usr/lib/x86_64-linux-gnu"));
        List<Path> sitePackages = new ArrayList<>();
        for (String prefixVar : new String[] {"VIRTUAL_ENV", "CONDA_PREFIX"}) {
            String prefix = env.get(prefixVar);
            if (prefix != null && !prefix.isBlank()) sitePackages.addAll(pythons(Path.of(prefix, "lib"), "site-packages"));
        }
        sitePackages.addAll(pythons(home.resolve(".local/lib"), "site-packages"));
        for (String lib : new String[] {"/usr/local/lib", "/usr/lib"}) {
            sitePackages.addAll(pythons(Path.of(lib), "dist-packages"));
            sitePackages.addAll(pythons(Path.of(lib), "site-packages"));
        }
        for (Path site : sitePackages) {
            for (String wheelDir : new String[] {"nvidia/cublas/lib", "nvidia/cu13/lib"}) {
                Path dir = site.resolve(wheelDir);
                if (Files.isDirectory(dir)) dirs.add(dir);
            }
        }
        return dirs;
    }

    /** {@code lib/python3.N/<packages>} directories that exist, sorted by name. */
    private static List<Path> pythons(Path lib, String packages) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(lib)) return found;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(lib, "python3*")) {
            for (Path p : ds) {
                Path site = p.resolve(packages);
                if (Files.isDirectory(site)) found.add(site);
            }
        } catch (IOException | SecurityException e) {
            // unreadable: nothing found there
        }
        found.sort(null);
        return found;
    }

    static List<Path> splitPath(String s) {
        List<Path> out = new ArrayList<>();
        if (s == null) return out;
        for (String part : s.split(":")) {
            if (!part.isBlank()) out.add(Path.of(part.trim()));
        }
        return out;
    }
}
