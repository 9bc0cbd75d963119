package org.longbel.cuda;

import java.util.List;
import java.util.Optional;

/**
 * The project's GPU check: finds the CUDA driver, initialises it and lists the devices.
 * The result says plainly why no GPU is usable when that is the case.
 *
 * @param available     true when at least one device answered
 * @param reason        why not, when unavailable ("" otherwise)
 * @param driverVersion driver API version (e.g. 13000), 0 when unknown
 * @param devices       the devices found
 */
public record GpuCheck(boolean available, String reason, int driverVersion, List<CudaDevice> devices) {

    /** Runs the check; never throws. */
    public static GpuCheck run() {
        StringBuilder whyNot = new StringBuilder();
        Optional<CudaDriver> driver = CudaDriver.load(whyNot);
        if (driver.isEmpty()) return new GpuCheck(false, whyNot.toString(), 0, List.of());
        try {
            CudaDriver cuda = driver.get();
            cuda.init();
            List<CudaDevice> devices = cuda.devices();
            int version = cuda.driverVersion();
            return devices.isEmpty()
                    ? new GpuCheck(false, "CUDA driver found but it reports no device", version, devices)
                    : new GpuCheck(true, "", version, devices);
        } catch (CudaException e) {
            return new GpuCheck(false, e.getMessage(), 0, List.of());
        }
    }
}
