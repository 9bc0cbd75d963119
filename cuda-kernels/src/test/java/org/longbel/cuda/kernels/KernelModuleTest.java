package org.longbel.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The GPU-free parts of KernelModule: NVRTC preference per driver, PTX version parsing. */
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
}
