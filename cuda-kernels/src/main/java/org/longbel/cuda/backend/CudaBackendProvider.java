package org.longbel.cuda.backend;

import org.longbel.core.backend.Backend;
import org.longbel.core.backend.BackendProvider;
import org.longbel.core.backend.BackendRequest;
import org.longbel.core.backend.Device;
import org.longbel.cuda.GpuCheck;

/**
 * Registers the {@link CudaBackend} with {@code core}'s {@link org.longbel.core.backend.Backends} (through
 * {@code META-INF/services}). Usable when the driver probe ({@link GpuCheck}) finds a device whose driver and
 * compute capability the backend supports.
 */
public final class CudaBackendProvider implements BackendProvider {

    @Override
    public Device device() { return Device.CUDA; }

    @Override
    public String unavailableReason() {
        return reason(GpuCheck.run());
    }

    /** Why {@code check} rules the backend out, or null. */
    static String reason(GpuCheck check) {
        if (!check.available()) return check.reason();
        String driver = CudaContext.driverProblem(check.driverVersion());
        if (driver != null) return driver;
        var first = check.devices().getFirst();
        return CudaContext.computeProblem(10 * first.computeMajor() + first.computeMinor());
    }

    @Override
    public Backend open(BackendRequest request) {
        return CudaBackend.open(request);
    }
}
