package org.longbel.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUresult;
import org.junit.jupiter.api.Test;
import org.longbel.cuda.CudaException;

/**
 * The GPU-free parts of KernelModule: NVRTC preference per driver, PTX version parsing, and the choice between the
 * committed PTX and an NVRTC build against a simulated driver.
 */
class KernelModuleTest {

    @Test
    void prefersTheNvrtcOfTheDriversMajorVersion() {
        assertEquals(List.of("libnvrtc.so.12", "libnvrtc.so", "libnvrtc.so.13"), KernelModule.nvrtcNamesFor(12080));
        assertEquals(List.of("libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"), KernelModule.nvrtcNamesFor(13000));
        assertEquals(Nvrtc.LIBRARY_NAMES, KernelModule.nvrtcNamesFor(0));
    }

    @Test
    void readsThePtxIsaVersion() {
        assertEquals("9.0", KernelModule.ptxIsaVersion("//\n// Generated\n\n.version 9.0\n.target sm_75\n"));
        assertEquals("?", KernelModule.ptxIsaVersion("garbage"));
        assertEquals("CUDA 12.8", KernelModule.versionString(12080));
        assertEquals("CUDA 13.0", KernelModule.versionString(13000));
    }

    /** A driver that refuses images whose PTX ISA is {@code refusedIsa} with {@code status} and loads the rest. */
    private static KernelModule.Driver driver(int version, String refusedIsa, int status, List<String> seen) {
        return new KernelModule.Driver(version, 90, image -> {
            String ptx = new String(image, 0, image.length - 1, StandardCharsets.UTF_8);
            seen.add(KernelModule.ptxIsaVersion(ptx));
            return KernelModule.ptxIsaVersion(ptx).equals(refusedIsa) ? status : CUresult.CUDA_SUCCESS;
        });
    }

    @Test
    void aDriverThatLoadsTheCommittedPtxNeedsNoNvrtc() {
        List<String> seen = new ArrayList<>();
        String how = KernelModule.choose(driver(13000, "none", 0, seen), List.of(), false);
        assertEquals("committed PTX (ISA 9.0) loaded by driver CUDA 13.0 for sm_90", how);
        assertEquals(List.of("9.0"), seen);
    }

    @Test
    void aRefusedPtxWithoutNvrtcSaysWhyAndWhereItLooked() {
        CudaException e = assertThrows(CudaException.class, () -> KernelModule.choose(
                driver(12040, "9.0", CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION, new ArrayList<>()),
                List.of(Path.of("/nonexistent/cuda/lib")), false));
        assertTrue(e.getMessage().startsWith("the driver (CUDA 12.4) refused the committed PTX (ISA 9.0): "
                + "CUDA_ERROR_UNSUPPORTED_PTX_VERSION (222); NVRTC could not help: "), e.getMessage());
        assertTrue(e.getMessage().contains("/nonexistent/cuda/lib") && e.getMessage().contains("longbel.cuda.libpath"), e.getMessage());
    }

    @Test
    void anErrorNvrtcCannotFixIsReportedAsItIs() {
        CudaException e = assertThrows(CudaException.class, () -> KernelModule.choose(
                driver(13000, "9.0", CUresult.CUDA_ERROR_OUT_OF_MEMORY, new ArrayList<>()), List.of(), false));
        assertEquals("the driver (CUDA 13.0) refused the committed PTX (ISA 9.0): CUDA_ERROR_OUT_OF_MEMORY (2)", e.getMessage());
    }

    @Test
    void aRefusedPtxIsRebuiltWithNvrtcAndAnNvrtcThatIsTooNewToo() throws Exception {
        NvrtcTest.loadFromTheWheel();
        assumeTrue(NvrtcTest.nvrtc.isPresent(), NvrtcTest.why);
        Path dir = Path.of(NvrtcTest.nvrtc.get().loadedFrom()).getParent();
        // a driver that refuses only the committed file: the source compiled at run time loads
        List<String> seen = new ArrayList<>();
        KernelModule.Driver picky = new KernelModule.Driver(13000, 90, image -> {
            String ptx = new String(image, 0, image.length - 1, StandardCharsets.UTF_8);
            seen.add(ptx.equals(KernelModule.ptx()) ? "committed" : "nvrtc");
            return ptx.equals(KernelModule.ptx()) ? CUresult.CUDA_ERROR_INVALID_PTX : CUresult.CUDA_SUCCESS;
        });
        String how = KernelModule.choose(picky, List.of(dir), false);
        assertEquals(List.of("committed", "nvrtc"), seen);
        assertTrue(how.contains("; using the source compiled at run time by NVRTC 13.") && how.endsWith("for compute_90"), how);
        // a CUDA 12 driver refuses ISA 9.0 from nvcc 13 and from NVRTC 13 alike: one message says both
        CudaException e = assertThrows(CudaException.class, () -> KernelModule.choose(
                driver(12080, "9.0", CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION, new ArrayList<>()), List.of(dir), false));
        assertTrue(e.getMessage().contains("compiled the source for compute_90 but the driver refused that too (PTX ISA 9.0)"),
                e.getMessage());
    }
}
