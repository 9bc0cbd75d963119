package org.longbel.cuda.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.longbel.cuda.GpuCheck;

/**
 * The FFM binding against NVIDIA's real CUDA 13 cuBLAS, taken from the nvidia-cublas 13 wheel when this
 * machine has it (extracted once into target/cublas13-wheel). Without a GPU only loading and symbol
 * resolution can be checked, and that cublasCreate_v2 fails cleanly.
 */
class RealCublas13Test {

    static final Path WHEEL = Path.of(System.getProperty("longbel.cublas13.wheel",
            "/opt/pypi-more/files/nvidia_cublas-13.1.1.3-py3-none-manylinux_2_27_x86_64.whl"));
    static final Path DIR = CublasStub.MODULE.resolve("target/cublas13-wheel").toAbsolutePath();

    @BeforeAll
    static void extract() throws IOException {
        assumeTrue(Files.isRegularFile(WHEEL), "skipped: no CUDA 13 cuBLAS wheel at " + WHEEL);
        Files.createDirectories(DIR);
        try (ZipFile zip = new ZipFile(WHEEL.toFile())) {
            for (ZipEntry e : zip.stream().toList()) {
                String name = e.getName();
                if (e.isDirectory() || !name.matches("nvidia/(cu13|cublas)/lib/libcublas(Lt)?\\.so\\.\\d+")) continue;
                Path out = DIR.resolve(name.substring(name.lastIndexOf('/') + 1));
                if (Files.isRegularFile(out) && Files.size(out) == e.getSize()) continue;
                Path part = DIR.resolve(out.getFileName() + ".part");
                try (InputStream in = zip.getInputStream(e)) {
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(part, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        assumeTrue(Files.isRegularFile(DIR.resolve("libcublas.so.13")),
                "skipped: " + WHEEL + " holds no nvidia/cu13/lib/libcublas.so.13");
    }

    @Test
    void loadsLibcublas13AndResolvesEverySymbol() {
        List<String> refusals = new ArrayList<>();
        CublasLibrary.Loaded loaded = CublasLibrary.load(GemmSearch.only(GemmSearch.Preference.FFM, List.of(DIR)),
                FfmCublasGemm.NAMES, refusals).orElseThrow(() -> new AssertionError("did not load: " + refusals));
        assertEquals(DIR.resolve("libcublas.so.13"), loaded.path());
        FfmCublasGemm.Binding b = FfmCublasGemm.Binding.bind(loaded.lookup(), loaded.where());
        assertNotNull(b.create);
        assertNotNull(b.destroy);
        assertNotNull(b.setStream);
        assertNotNull(b.setMathMode);
        assertNotNull(b.getVersion);
        assertNotNull(b.gemmEx);
        assertNotNull(b.statusString, "CUDA 13 cuBLAS has cublasGetStatusString");
        // a pure function, safe without a GPU
        assertEquals("the function failed to launch on the GPU", b.statusString(13));
    }

    @Test
    void withoutAGpuHandleCreationFailsCleanly() {
        GpuCheck gpu = GpuCheck.run();
        assumeFalse(gpu.available(), "skipped: a GPU is present, so cublasCreate_v2 would succeed");
        GemmUnavailableException e = assertThrows(GemmUnavailableException.class,
                () -> Gemms.open(0, GemmSearch.only(GemmSearch.Preference.FFM, List.of(DIR))));
        assertTrue(e.getMessage().contains("FFM cuBLAS refused: cublasCreate_v2 failed: "), e.getMessage());
    }
}
