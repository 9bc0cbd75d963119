package org.longbel.cuda.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.longbel.core.backend.BackendProvider;
import org.longbel.core.backend.BackendRequest;
import org.longbel.core.backend.Backends;
import org.longbel.core.backend.Device;
import org.longbel.core.backend.Precision;
import org.longbel.cuda.CudaDevice;
import org.longbel.cuda.CudaException;
import org.longbel.cuda.GpuCheck;

/** How the CUDA backend is found, and what it says where it cannot run. Runs without a GPU. */
class CudaBackendProviderTest {

    private static GpuCheck gpu(int driver, int major, int minor) {
        return new GpuCheck(true, "", driver, List.of(new CudaDevice(0, "NVIDIA Test", 80L << 30, major, minor, 132)));
    }

    @Test
    void theProviderIsRegisteredForCuda() {
        List<BackendProvider> providers = ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get).toList();
        assertEquals(1, providers.size());
        assertEquals(Device.CUDA, providers.getFirst().device());
    }

    @Test
    void saysWhyADriverOrDeviceCannotBeUsed() {
        assertNull(CudaBackendProvider.reason(gpu(13000, 9, 0)));
        assertNull(CudaBackendProvider.reason(gpu(12020, 8, 0)));
        assertEquals("the NVIDIA driver supports CUDA 11.8; the CUDA backend needs a driver for CUDA 12.0 or newer (525 or later): "
                + "update the driver or use --device cpu", CudaBackendProvider.reason(gpu(11080, 9, 0)));
        assertEquals("compute capability 7.5 has no BF16 arithmetic; the CUDA backend needs 8.0 or newer (A100, H100, L4, "
                + "RTX 30xx...): use --device cpu", CudaBackendProvider.reason(gpu(13000, 7, 5)));
        assertEquals("no driver", CudaBackendProvider.reason(new GpuCheck(false, "no driver", 0, List.of())));
    }

    @Test
    void withoutAGpuCudaIsAClearErrorAndAutoFallsBackToTheCpu() {
        assumeFalse(GpuCheck.run().available(), "a GPU is present: this test is about machines without one");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Backends.open(new BackendRequest(Device.CUDA, 1, Precision.FP32)));
        assertTrue(e.getMessage().startsWith("--device cuda: CUDA cannot be used here: no CUDA driver library (libcuda.so.1)"),
                e.getMessage());
        Backends.Choice auto = Backends.open(new BackendRequest(Device.AUTO, 1, Precision.BF16));
        auto.backend().close();
        assertTrue(auto.note().startsWith("device auto -> cpu (no CUDA driver library (libcuda.so.1)"), auto.note());
    }

    @Test
    void openingTheBackendWithoutADriverNamesTheMissingLibrary() {
        assumeFalse(GpuCheck.run().available(), "a GPU is present: this test is about machines without one");
        CudaException e = assertThrows(CudaException.class, () -> CudaBackend.open(BackendRequest.cpu(1)));
        assertTrue(e.getMessage().startsWith("JCuda's driver natives did not load (they need the NVIDIA driver's libcuda.so.1)"),
                e.getMessage());
    }
}
