package org.longbel.cuda.blas;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The FFM binding against the C stub: exactly the cuBLAS calls and arguments the GEMM contract implies. */
class FfmCublasGemmStubTest {

    private static final long STREAM = 0x7f00_1234_5670L;
    private static final long W = 0x7000_0000_1000L, X = 0x7000_0000_2000L, OUT = 0x7000_0000_3000L;

    @Test
    void opensOnTheSearchPathAndNamesLibraryAndVersion() {
        CublasStub stub = CublasStub.cuda13();
        try (Gemm gemm = Gemms.open(STREAM, stub.search(GemmSearch.Preference.FFM))) {
            assertEquals("FFM cuBLAS 13.1.1 (" + stub.library + ")", gemm.description());
            CublasStub.State s = stub.state();
            assertEquals(1, s.creates());
            assertEquals(1, s.setStreams());
            assertEquals(s.lastCreated(), s.streamHandle(), "setStream on the created handle");
            assertEquals(STREAM, s.stream(), "setStream got the caller's stream");
            assertEquals(1, s.mathCalls());
            assertEquals(s.lastCreated(), s.mathHandle());
            assertEquals(Cublas.CUBLAS_DEFAULT_MATH, s.mathMode(), "default math: no TF32");
            assertEquals("cuBLAS: " + gemm.description(), Gemms.lastReport());
        }
    }

    @Test
    void defaultStreamIsPassedAsNull() {
        CublasStub stub = CublasStub.cuda13();
        try (Gemm gemm = Gemms.open(0, stub.search(GemmSearch.Preference.FFM))) {
            assertEquals(0, stub.state().stream());
        }
    }

    @Test
    void bf16MatmulMarshalsTheTransposedColumnMajorCall() {
        CublasStub stub = CublasStub.cuda13();
        try (Gemm gemm = Gemms.open(STREAM, stub.search(GemmSearch.Preference.FFM))) {
            gemm.matmul(Gemm.Operands.BF16, W, X, OUT, 7, 2048, 8192);
            CublasStub.GemmCall c = stub.lastGemm();
            assertEquals(1, c.calls());
            assertEquals(stub.state().lastCreated(), c.handle());
            assertEquals(new CublasStub.GemmCall(1, c.handle(), 1, 0, 8192, 7, 2048, 1.0f, W, 14, 2048, X, 14, 2048,
                    0.0f, OUT, 0, 8192, 68, -1), c);
        }
    }

    @Test
    void f32MatmulMarshalsTheTransposedColumnMajorCall() {
        CublasStub stub = CublasStub.cuda13();
        try (Gemm gemm = Gemms.open(STREAM, stub.search(GemmSearch.Preference.FFM))) {
            gemm.matmul(Gemm.Operands.F32, W, X, OUT, 1, 3072, 128256);
            CublasStub.GemmCall c = stub.lastGemm();
            assertEquals(new CublasStub.GemmCall(1, stub.state().lastCreated(), 1, 0, 128256, 1, 3072, 1.0f, W, 0,
                    3072, X, 0, 3072, 0.0f, OUT, 0, 128256, 68, -1), c);
            gemm.matmul(Gemm.Operands.BF16, X, W, OUT, 5, 3, 2);
            c = stub.lastGemm();
            assertEquals(new CublasStub.GemmCall(2, c.handle(), 1, 0, 2, 5, 3, 1.0f, X, 14, 3, W, 14, 3, 0.0f, OUT, 0,
                    2, 68, -1), c, "second call, alpha/beta still 1/0");
        }
    }

    @Test
    void closeDestroysTheHandleOnce() {
        CublasStub stub = CublasStub.cuda13();
        Gemm gemm = Gemms.open(STREAM, stub.search(GemmSearch.Preference.FFM));
        gemm.close();
        CublasStub.State s = stub.state();
        assertEquals(1, s.destroys());
        assertEquals(s.lastCreated(), s.lastDestroyed());
        assertDoesNotThrow(gemm::close);
        assertEquals(1, stub.state().destroys(), "a second close does nothing");
        assertThrows(IllegalStateException.class, () -> gemm.matmul(Gemm.Operands.F32, W, X, OUT, 1, 2, 3));
        assertEquals(0, stub.lastGemm().calls());
    }

    @Test
    void gemmErrorStatusBecomesAnExceptionNamingCallAndStatus() {
        CublasStub stub = CublasStub.cuda13();
        try (Gemm gemm = Gemms.open(STREAM, stub.search(GemmSearch.Preference.FFM))) {
            stub.failNext("cublasGemmEx", 13);
            CublasException e = assertThrows(CublasException.class,
                    () -> gemm.matmul(Gemm.Operands.BF16, W, X, OUT, 4, 64, 32));
            assertEquals("cublasGemmEx", e.call());
            assertEquals(13, e.status());
            assertTrue(e.getMessage().startsWith("cublasGemmEx failed: CUBLAS_STATUS_EXECUTION_FAILED (13)"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("stub: the function failed to launch on the GPU"), e.getMessage());
            gemm.matmul(Gemm.Operands.BF16, W, X, OUT, 4, 64, 32); // the handle is still usable
            assertEquals(1, stub.lastGemm().calls());
        }
    }

    @Test
    void createFailureRefusesTheImplementationWithTheStatus() {
        CublasStub stub = CublasStub.cuda13();
        stub.failNext("cublasCreate_v2", 1);
        GemmUnavailableException e = assertThrows(GemmUnavailableException.class,
                () -> Gemms.open(STREAM, stub.search(GemmSearch.Preference.FFM)));
        assertTrue(e.getMessage().contains("cublasCreate_v2 failed: CUBLAS_STATUS_NOT_INITIALIZED (1)"),
                e.getMessage());
        assertEquals(1, e.reasons().size());
        assertEquals(0, stub.state().creates());
    }

    @Test
    void setupFailureAfterCreateDestroysTheHandle() {
        CublasStub stub = CublasStub.cuda13();
        stub.failNext("cublasSetMathMode", 7);
        GemmUnavailableException e = assertThrows(GemmUnavailableException.class,
                () -> Gemms.open(STREAM, stub.search(GemmSearch.Preference.FFM)));
        assertTrue(e.getMessage().contains("cublasSetMathMode failed: CUBLAS_STATUS_INVALID_VALUE (7)"),
                e.getMessage());
        CublasStub.State s = stub.state();
        assertEquals(1, s.creates());
        assertEquals(1, s.destroys(), "no handle leaks");
    }

    @Test
    void invalidArgumentsAreRejectedBeforeAnyNativeCall() {
        CublasStub stub = CublasStub.cuda13();
        try (Gemm gemm = Gemms.open(STREAM, stub.search(GemmSearch.Preference.FFM))) {
            Gemm.Operands bf = Gemm.Operands.BF16;
            assertThrows(IllegalArgumentException.class, () -> gemm.matmul(bf, W, X, OUT, 0, 64, 64));
            assertThrows(IllegalArgumentException.class, () -> gemm.matmul(bf, W, X, OUT, 4, -1, 64));
            assertThrows(IllegalArgumentException.class, () -> gemm.matmul(bf, W, X, OUT, 4, 64, 0));
            IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                    () -> gemm.matmul(bf, W, X, OUT, 65536, 32768, 8));
            assertTrue(big.getMessage().contains("x has 2147483648 elements"), big.getMessage());
            assertThrows(IllegalArgumentException.class, () -> gemm.matmul(bf, W, X, OUT, 1, 16, 1 << 28));
            assertThrows(IllegalArgumentException.class, () -> gemm.matmul(bf, W, X, OUT, 1 << 16, 8, 1 << 16));
            assertThrows(IllegalArgumentException.class, () -> gemm.matmul(bf, 0, X, OUT, 4, 64, 64));
            assertThrows(IllegalArgumentException.class, () -> gemm.matmul(null, W, X, OUT, 4, 64, 64));
            assertEquals(0, stub.lastGemm().calls(), "nothing reached cuBLAS");
        }
    }

    @Test
    void directoryOrderBeatsNameOrder() {
        CublasStub plain = CublasStub.get("plain", "libcublas.so");
        CublasStub cuda13 = CublasStub.cuda13();
        plain.setVersion(120604);
        try (Gemm gemm = Gemms.open(0, GemmSearch.only(GemmSearch.Preference.FFM,
                java.util.List.of(plain.dir, cuda13.dir)))) {
            assertEquals("FFM cuBLAS 12.6.4 (" + plain.library + ")", gemm.description());
        }
        try (Gemm gemm = Gemms.open(0, GemmSearch.only(GemmSearch.Preference.FFM,
                java.util.List.of(cuda13.dir, plain.dir)))) {
            assertEquals("FFM cuBLAS 13.1.1 (" + cuda13.library + ")", gemm.description());
        }
        assertEquals(1, plain.state().destroys());
        assertEquals(1, cuda13.state().destroys());
    }
}
