package org.longbel.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longbel.cuda.CudaException;

/**
 * NVRTC through FFM. The compile tests need libnvrtc: they take it from the NVIDIA pip wheel where this
 * machine has one (extracted into target/), and skip otherwise. The not-found test runs everywhere.
 */
class NvrtcTest {

    static final Path WHEEL = Path.of(System.getProperty("longbel.nvrtc.wheel",
            "/opt/pypi-more/files/nvidia_cuda_nvrtc-13.0.88-py3-none-manylinux2010_x86_64.manylinux_2_12_x86_64.whl"));
    static Optional<Nvrtc> nvrtc = Optional.empty();
    static String why = "";

    @BeforeAll
    static void loadFromTheWheel() throws IOException {
        if (!Files.isRegularFile(WHEEL)) {
            why = "no NVRTC wheel at " + WHEEL + " (set -Dlongbel.nvrtc.wheel): skipping the NVRTC compile tests";
            return;
        }
        Path dir = PtxFreshnessTest.MODULE.resolve("target/nvrtc-wheel/" + WHEEL.getFileName());
        try (ZipFile zip = new ZipFile(WHEEL.toFile())) {
            for (ZipEntry e : zip.stream().toList()) {
                String name = e.getName();
                String file = name.substring(name.lastIndexOf('/') + 1);
                // nvidia/<cu13|cuda_nvrtc>/lib/libnvrtc.so.13 and libnvrtc-builtins.so.13.0 (not the .alt ones)
                if (!name.matches("nvidia/[^/]+/lib/libnvrtc[^/]*\\.so[^/]*") || file.contains(".alt.")) continue;
                Path out = dir.resolve(file);
                if (Files.isRegularFile(out) && Files.size(out) == e.getSize()) continue;
                Files.createDirectories(dir);
                try (InputStream in = zip.getInputStream(e)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        StringBuilder whyNot = new StringBuilder();
        nvrtc = Nvrtc.load(List.of(dir), false, whyNot);
        why = "NVRTC did not load from the wheel: " + whyNot;
    }

    @Test
    void compilesTheBundledKernelsWithEveryEntry() {
        assumeTrue(nvrtc.isPresent(), why);
        Nvrtc n = nvrtc.get();
        int[] v = n.version();
        System.out.println("NVRTC " + v[0] + "." + v[1] + " from " + n.loadedFrom());
        for (String arch : List.of("compute_80", "compute_90")) {
            String ptx = n.compile(KernelModule.source(), "longbel_kernels.cu", "--gpu-architecture=" + arch);
            PtxEntries entries = PtxEntries.parse(ptx);
            assertEquals(List.copyOf(new java.util.TreeSet<>(KernelModule.KERNEL_NAMES)),
                    List.copyOf(new java.util.TreeSet<>(entries.entries().keySet())), arch);
            assertTrue(ptx.contains(".target sm_" + arch.substring("compute_".length())), arch);
            // the same signatures as the committed PTX that the launchers are checked against
            for (String kernel : KernelModule.KERNEL_NAMES)
                assertEquals(LaunchSignatureTest.ptxOrParse().entries().get(kernel).paramTypes(),
                        entries.entries().get(kernel).paramTypes(), kernel);
        }
    }

    @Test
    void aCompileErrorCarriesTheLog() {
        assumeTrue(nvrtc.isPresent(), why);
        CudaException e = assertThrows(CudaException.class, () -> nvrtc.get().compile(
                "extern \"C\" __global__ void broken(float* x) { x[0] = undefined_thing; }", "broken.cu",
                "--gpu-architecture=compute_90"));
        assertTrue(e.getMessage().contains("NVRTC_ERROR_COMPILATION"), e.getMessage());
        assertTrue(e.getMessage().contains("undefined_thing"), e.getMessage());
        assertTrue(e.getMessage().contains("broken.cu"), e.getMessage());
    }

    @Test
    void aMissingNvrtcSaysWhereItLooked(@TempDir Path tmp) {
        StringBuilder whyNot = new StringBuilder();
        Optional<Nvrtc> none = Nvrtc.load(List.of(tmp.resolve("x"), tmp.resolve("y")), false, whyNot);
        assertTrue(none.isEmpty());
        String msg = whyNot.toString();
        for (String name : Nvrtc.LIBRARY_NAMES) {
            assertTrue(msg.contains(tmp.resolve("x").resolve(name).toString()), msg);
            assertTrue(msg.contains(tmp.resolve("y").resolve(name).toString()), msg);
        }
        assertTrue(msg.startsWith("no NVRTC library (libnvrtc.so.13, libnvrtc.so.12, libnvrtc.so)"), msg);
    }
}
