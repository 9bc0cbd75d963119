package org.longbel.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendsTest {

    /** A CUDA provider that is usable or not, and whose backend is a CPU backend in disguise. */
    private static BackendProvider fakeCuda(String unavailable, RuntimeException failure) {
        return new BackendProvider() {
            @Override public Device device() { return Device.CUDA; }
            @Override public String unavailableReason() { return unavailable; }
            @Override public Backend open(BackendRequest request) {
                if (failure != null) throw failure;
                CpuBackend cpu = new CpuBackend(1);
                return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                        (proxy, method, args) -> method.getName().equals("description") ? "fake GPU" : method.invoke(cpu, args));
            }
        };
    }

    @Test
    void cpuIsTheCpuBackendAndSaysSo() {
        try (Backend b = Backends.open(BackendRequest.cpu(2), List.of()).backend()) {
            assertInstanceOf(CpuBackend.class, b);
            assertEquals(2, ((CpuBackend) b).threads());
        }
        Backends.Choice c = Backends.open(new BackendRequest(Device.CPU, 1, Precision.BF16), List.of());
        c.backend().close();
        assertTrue(c.note().startsWith("device cpu: CPU, 1 thread(s)"), c.note());
        assertTrue(c.note().contains("--precision bf16 applies to CUDA only"), c.note());
    }

    @Test
    void cudaWithoutAProviderOrAGpuIsAClearError() {
        BackendRequest cuda = new BackendRequest(Device.CUDA, 1, Precision.FP32);
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> Backends.open(cuda, List.of()));
        assertTrue(none.getMessage().contains("no CUDA backend on the class path"), none.getMessage());
        IllegalStateException noGpu = assertThrows(IllegalStateException.class,
                () -> Backends.open(cuda, List.of(fakeCuda("no CUDA driver library (libcuda.so.1) on this machine", null))));
        assertEquals("--device cuda: CUDA cannot be used here: no CUDA driver library (libcuda.so.1) on this machine; "
                + "use --device cpu or auto", noGpu.getMessage());
    }

    @Test
    void autoTakesCudaWhenUsableAndTheCpuOtherwiseSayingWhy() {
        BackendRequest auto = new BackendRequest(Device.AUTO, 1, Precision.FP32);
        Backends.Choice gpu = Backends.open(auto, List.of(fakeCuda(null, null)));
        gpu.backend().close();
        assertEquals("device auto -> cuda: fake GPU", gpu.note());

        Backends.Choice noDriver = Backends.open(auto, List.of(fakeCuda("no CUDA driver", null)));
        noDriver.backend().close();
        assertInstanceOf(CpuBackend.class, noDriver.backend());
        assertTrue(noDriver.note().startsWith("device auto -> cpu (no CUDA driver): CPU"), noDriver.note());

        Backends.Choice failed = Backends.open(auto, List.of(fakeCuda(null, new IllegalStateException("out of device memory"))));
        failed.backend().close();
        assertInstanceOf(CpuBackend.class, failed.backend());
        assertTrue(failed.note().contains("CUDA failed to start: out of device memory"), failed.note());

        Backends.Choice nothing = Backends.open(auto, List.of());
        nothing.backend().close();
        assertTrue(nothing.note().startsWith("device auto -> cpu (no CUDA backend on the class path)"), nothing.note());
    }

    @Test
    void devicesAndPrecisionsParseOrSayTheChoices() {
        assertSame(Device.CUDA, Device.parse(" CUDA "));
        assertSame(Precision.BF16, Precision.parse("bf16"));
        assertEquals("unknown device 'gpu': use cpu, cuda or auto",
                assertThrows(IllegalArgumentException.class, () -> Device.parse("gpu")).getMessage());
        assertEquals("unknown precision 'fp16': use fp32 or bf16",
                assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp16")).getMessage());
    }

    @Test
    void buffersOfAnotherBackendAreRefusedByName() {
        ActivationBuffer foreign = new ActivationBuffer() {
            @Override public int floats() { return 4; }
            @Override public void close() { }
        };
        try (CpuBackend cpu = new CpuBackend(1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cpu.add(foreign, foreign, 4));
            assertTrue(e.getMessage().startsWith("the CPU backend cannot use a buffer of another backend"), e.getMessage());
        }
    }
}
