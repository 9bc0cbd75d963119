package org.longbel.cuda.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How Gemms.open finds cuBLAS, and what it says when it cannot. */
class GemmDiscoveryTest {

    @TempDir
    Path tmp;

    @Test
    void ffmWithNothingToFindListsEveryPlaceTried() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Path missing = tmp.resolve("missing");
        GemmUnavailableException e = assertThrows(GemmUnavailableException.class,
                () -> Gemms.open(0, GemmSearch.only(GemmSearch.Preference.FFM, List.of(a, missing, b))));
        String m = e.getMessage();
        assertTrue(m.contains("preference ffm"), m);
        assertTrue(m.contains("FFM cuBLAS refused: no libcublas.so.13, libcublas.so.12, libcublas.so found"), m);
        assertTrue(m.contains("looked for libcublas.so.13, libcublas.so.12, libcublas.so in [" + a + ", " + missing
                + " (missing), " + b + "]"), m);
        assertFalse(m.contains("system loader"), "defaults were switched off: " + m);
        assertFalse(m.contains("JCublas"), m);
        assertEquals(List.of("FFM cuBLAS refused: no libcublas.so.13, libcublas.so.12, libcublas.so found"),
                e.reasons());
        assertEquals(m, Gemms.lastReport());
    }

    @Test
    void aFileThatIsNotALibraryIsReportedAndSkipped() throws Exception {
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(bad.resolve("libcublas.so.13"), "not an ELF file");
        CublasStub stub = CublasStub.cuda13();
        try (Gemm gemm = Gemms.open(0, GemmSearch.only(GemmSearch.Preference.FFM, List.of(bad, stub.dir)))) {
            assertTrue(gemm.description().contains(stub.library.toString()), gemm.description());
        }
        GemmUnavailableException e = assertThrows(GemmUnavailableException.class,
                () -> Gemms.open(0, GemmSearch.only(GemmSearch.Preference.FFM, List.of(bad))));
        assertTrue(e.getMessage().contains(bad.resolve("libcublas.so.13") + " did not load: " + bad.resolve("libcublas.so.13") + ": "),
                "the dynamic loader's reason: " + e.getMessage());
    }

    @Test
    void autoRefusesJCublasWithoutCuda12AndFallsBackToFfm() {
        assumeFalse(systemHasCuda12Cublas(),
                "skipped: this machine has libcublas.so.12, so JCublas would load (this test is for CUDA-13-only machines)");
        CublasStub stub = CublasStub.cuda13();
        try (Gemm gemm = Gemms.open(0, stub.search(GemmSearch.Preference.AUTO))) {
            assertEquals("FFM cuBLAS 13.1.1 (" + stub.library + ")", gemm.description());
            String report = Gemms.lastReport();
            assertTrue(report.startsWith("cuBLAS: FFM cuBLAS 13.1.1 (" + stub.library + ") — JCublas refused: "
                    + "JCublas needs libcublas.so.12 (CUDA 12), which "), report);
            assertFalse(report.contains("\n"), "one line: " + report);
        }
    }

    @Test
    void jcublasOnlyFailsWithTheReasonAndThePlacesTried() throws Exception {
        assumeFalse(systemHasCuda12Cublas(), "skipped: this machine has libcublas.so.12, so JCublas would load");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        GemmUnavailableException e = assertThrows(GemmUnavailableException.class,
                () -> Gemms.open(0, GemmSearch.only(GemmSearch.Preference.JCUBLAS, List.of(empty))));
        assertEquals(1, e.reasons().size());
        assertTrue(e.reasons().getFirst().startsWith("JCublas refused: JCublas needs libcublas.so.12 (CUDA 12)"),
                e.reasons().getFirst());
        assertTrue(e.getMessage().contains("looked for libcublas.so.12 in [" + empty + "]"), e.getMessage());
        assertFalse(e.getMessage().contains("FFM"), e.getMessage());
    }

    @Test
    void defaultDirectoriesCoverLdLibraryPathCudaAndPythonWheels() throws Exception {
        Path venv = tmp.resolve("venv");
        Path cu12 = Files.createDirectories(venv.resolve("lib/python3.12/site-packages/nvidia/cublas/lib"));
        Path cu13 = Files.createDirectories(venv.resolve("lib/python3.12/site-packages/nvidia/cu13/lib"));
        Path home = tmp.resolve("home");
        Path user = Files.createDirectories(home.resolve(".local/lib/python3.11/site-packages/nvidia/cu13/lib"));
        Files.createDirectories(venv.resolve("lib/python3.10/site-packages/nvidia")); // no cublas: not listed
        List<Path> dirs = GemmSearch.defaultDirectories(
                Map.of("LD_LIBRARY_PATH", "/opt/x:/opt/y", "VIRTUAL_ENV", venv.toString()), home);
        assertEquals(List.of(Path.of("/opt/x"), Path.of("/opt/y"), Path.of("/usr/local/cuda/lib64"),
                Path.of("/usr/local/cuda/targets/x86_64-linux/lib"), Path.of("/usr/lib/x86_64-linux-gnu"),
                cu12, cu13, user), dirs.subList(0, 8));
    }

    @Test
    void defaultsReadThePropertiesFirst() {
        String oldPath = System.getProperty(GemmSearch.LIBPATH_PROPERTY);
        String oldPref = System.getProperty(GemmSearch.PREFERENCE_PROPERTY);
        try {
            System.setProperty(GemmSearch.LIBPATH_PROPERTY, "/first/dir::/second/dir");
            System.setProperty(GemmSearch.PREFERENCE_PROPERTY, "FfM");
            GemmSearch s = GemmSearch.defaults();
            assertEquals(GemmSearch.Preference.FFM, s.preference());
            assertTrue(s.includeDefaults());
            assertEquals(List.of(Path.of("/first/dir"), Path.of("/second/dir")), s.directories().subList(0, 2));
            assertTrue(s.directories().contains(Path.of("/usr/local/cuda/lib64")));
            System.setProperty(GemmSearch.PREFERENCE_PROPERTY, "cuda");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, GemmSearch::defaults);
            assertTrue(e.getMessage().contains("expected auto, jcublas or ffm"), e.getMessage());
        } finally {
            restore(GemmSearch.LIBPATH_PROPERTY, oldPath);
            restore(GemmSearch.PREFERENCE_PROPERTY, oldPref);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    /** Whether the system loader finds CUDA 12's cuBLAS (then JCublas may load and the fallback tests skip). */
    static boolean systemHasCuda12Cublas() {
        try {
            SymbolLookup.libraryLookup("libcublas.so.12", Arena.global());
            return true;
        } catch (IllegalArgumentException notFound) {
            return false;
        }
    }
}
