package org.longbel.cuda.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * JCublasGemm against the C stub built as {@code libcublas.so.12} (with the symbol version JCublas 12.6's
 * natives require), in a child JVM: JCublas's natives bind to whichever libcublas.so.12 they first meet
 * and a failed load cannot be retried, so this must not share the JVM of the other tests. The child is
 * {@link #main}: Gemms.open with preference jcublas and the stub's directory preloads the stub, JCublas
 * loads against it, and the marshalled cuBLAS arguments are checked as for the FFM binding.
 */
class JCublasGemmStubTest {

    private static final long STREAM = 0x7f00_1234_5670L;
    private static final long W = 0x7000_0000_1000L, X = 0x7000_0000_2000L, OUT = 0x7000_0000_3000L;

    @Test
    void jcublasMarshalsTheSameCallAsTheFfmBinding() throws Exception {
        assumeFalse(GemmDiscoveryTest.systemHasCuda12Cublas(),
                "skipped: the system's libcublas.so.12 could win over the stub in the child JVM");
        Path lib = CublasStub.MODULE.resolve("target/cublas-stub/cuda12/libcublas.so.12").toAbsolutePath();
        CublasStub.compile(lib); // not loaded in this JVM
        String out = child(lib.getParent(), "works");
        assertTrue(out.contains("OK JCublas on cuBLAS 12.6.4 (" + lib + ")"), out);
    }

    @Test
    void aCuda13LibraryNamedLibcublas12IsRefusedInOneLine() throws Exception {
        assumeFalse(GemmDiscoveryTest.systemHasCuda12Cublas(),
                "skipped: the system's libcublas.so.12 could win over the stub in the child JVM");
        Path lib = CublasStub.MODULE.resolve("target/cublas-stub/cuda13-as-12/libcublas.so.12").toAbsolutePath();
        CublasStub.compile(lib, "libcublas.so.13"); // CUDA 13 symbol versions: JCublas 12.6 cannot bind them

        String out = child(lib.getParent(), "refused");
        // Unchecked, JCublas would load and the JVM would die at cublasCreate ("symbol lookup error", exit 127).
        assertTrue(out.contains("OK JCublas refused: JCublas needs libcublas.so.12 (CUDA 12), but " + lib
                + " lacks cublasCreate_v2@libcublas.so.12, "), out);
    }

    private static String child(Path dir, String mode) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + dir,
                "-cp", System.getProperty("java.class.path"), JCublasGemmStubTest.class.getName(), dir.toString(), mode);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM timed out: " + out);
        assertEquals(0, p.exitValue(), "child JVM failed:\n" + out);
        return out;
    }

    /**
     * The child JVM: args[0] is the directory of the libcublas.so.12 stub, args[1] "works" or "refused".
     * Exits non-zero on any failure.
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        if (args[1].equals("refused")) {
            try (Gemm g = Gemms.open(0, GemmSearch.only(GemmSearch.Preference.JCUBLAS, List.of(dir)))) {
                check(false, "opened " + g.description());
            } catch (GemmUnavailableException e) {
                check(!e.reasons().getFirst().contains("\n"), "one line: " + e.reasons());
                System.out.println("OK " + e.reasons().getFirst());
            }
            System.exit(0);
        }
        GemmSearch search = GemmSearch.only(GemmSearch.Preference.JCUBLAS, List.of(dir));
        // Version before JCublas loads, through the same stub object (same path, same dlopen handle).
        CublasStub stub = CublasStub.get("cuda12", "libcublas.so.12");
        check(stub.library.getParent().equals(dir), "stub in " + dir);
        stub.setVersion(120604);
        Gemm gemm = Gemms.open(STREAM, search);
        check(gemm instanceof JCublasGemm, "JCublas chosen: " + Gemms.lastReport());
        CublasStub.State s = stub.state();
        check(s.creates() == 1 && s.setStreams() == 1 && s.streamHandle() == s.lastCreated(), s.toString());
        check(s.stream() == STREAM, "stream passed through: " + s);
        check(s.mathCalls() == 1 && s.mathMode() == Cublas.CUBLAS_DEFAULT_MATH, "default math: " + s);

        gemm.matmul(Gemm.Operands.BF16, W, X, OUT, 7, 2048, 8192);
        CublasStub.GemmCall c = stub.lastGemm();
        check(c.equals(new CublasStub.GemmCall(1, s.lastCreated(), 1, 0, 8192, 7, 2048, 1.0f, W, 14, 2048, X, 14,
                2048, 0.0f, OUT, 0, 8192, 68, -1)), "BF16 call: " + c);
        gemm.matmul(Gemm.Operands.F32, X, W, OUT, 5, 3, 2);
        c = stub.lastGemm();
        check(c.equals(new CublasStub.GemmCall(2, s.lastCreated(), 1, 0, 2, 5, 3, 1.0f, X, 0, 3, W, 0, 3, 0.0f, OUT,
                0, 2, 68, -1)), "F32 call: " + c);

        stub.failNext("cublasGemmEx", 13);
        try {
            gemm.matmul(Gemm.Operands.BF16, W, X, OUT, 1, 8, 8);
            check(false, "error status ignored");
        } catch (CublasException e) {
            check(e.getMessage().startsWith("cublasGemmEx failed: CUBLAS_STATUS_EXECUTION_FAILED (13)"), e.getMessage());
        }
        try {
            gemm.matmul(Gemm.Operands.BF16, W, X, OUT, 0, 8, 8);
            check(false, "size 0 accepted");
        } catch (IllegalArgumentException expected) {
            check(stub.lastGemm().calls() == 2, "rejected before cuBLAS");
        }
        gemm.close();
        gemm.close();
        s = stub.state();
        check(s.destroys() == 1 && s.lastDestroyed() == s.lastCreated(), "destroyed once: " + s);

        // default stream: a null cudaStream_t
        try (Gemm g2 = Gemms.open(0, search)) {
            check(stub.state().stream() == 0, "default stream");
        }
        System.out.println("OK " + gemm.description());
        System.exit(0);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.out.println("FAILED: " + what);
            System.exit(1);
        }
    }
}
