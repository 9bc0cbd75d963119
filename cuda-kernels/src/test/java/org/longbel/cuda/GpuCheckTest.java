package org.longbel.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class GpuCheckTest {

    @Test
    void reportsAReasonWhenNoGpuIsUsable() {
        GpuCheck check = GpuCheck.run();
        if (check.available()) {
            assertEquals("", check.reason());
        } else {
            assertFalse(check.reason().isBlank(), "an unavailable GPU must come with a reason");
            assertTrue(check.devices().isEmpty());
        }
    }

    @Test
    void devicesHaveSaneProperties() {
        GpuCheck check = GpuCheck.run();
        assumeTrue(check.available(), () -> "skipped: no usable GPU here (" + check.reason() + ")");
        assertTrue(check.driverVersion() >= 12000, "driver version " + check.driverVersion());
        for (CudaDevice d : check.devices()) {
            assertFalse(d.name().isBlank());
            assertTrue(d.totalMemoryBytes() > (1L << 30), d.toString());
            assertTrue(d.computeMajor() >= 7, d.toString());
            assertTrue(d.multiprocessors() > 0, d.toString());
        }
    }
}
