package org.longbel.cuda.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DeviceMemoryLedgerTest {

    @Test
    void keepsTotalsPeakAndPurposes() {
        DeviceMemoryLedger ledger = new DeviceMemoryLedger();
        assertEquals("nothing", ledger.summary());
        ledger.allocated("weights", 2_470_000_000L);
        ledger.allocated("activations", 300_000_000L);
        ledger.allocated("activations", 10_000_000L);
        assertEquals(2_780_000_000L, ledger.total());
        ledger.freed("activations", 300_000_000L);
        assertEquals(10_000_000L, ledger.held("activations"));
        assertEquals(2_780_000_000L, ledger.peak());
        assertEquals("weights 2.47 GB, activations 0.01 GB", ledger.summary());
        ledger.freed("activations", 10_000_000L);
        assertEquals("weights 2.47 GB", ledger.summary(), "a purpose freed to zero leaves the summary");
    }

    @Test
    void freeingMoreThanHeldIsABug() {
        DeviceMemoryLedger ledger = new DeviceMemoryLedger();
        ledger.allocated("kv-cache", 10);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ledger.freed("kv-cache", 11));
        assertEquals("freeing 11 bytes of kv-cache but only 10 are held", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ledger.allocated("x", -1));
    }

    @Test
    void outOfMemorySaysWhatWasAskedWhatIsHeldAndWhatToChange() {
        DeviceMemoryLedger ledger = new DeviceMemoryLedger();
        ledger.allocated("weights", 2_470_000_000L);
        assertEquals("out of GPU memory: 90.00 GB for kv-cache did not fit (77.00 GB free of 80.00 GB); this backend holds "
                        + "weights 2.47 GB; lower --kv-cache-mb",
                ledger.outOfMemory("kv-cache", 90_000_000_000L, 77_000_000_000L, 80_000_000_000L));
        String activations = ledger.outOfMemory("activations", 1L << 32, 1L << 30, 80_000_000_000L);
        assertEquals(true, activations.endsWith("lower --row-budget (fewer rows per forward) or --kv-cache-mb"), activations);
        assertEquals(true, ledger.outOfMemory("weights", 1, 0, 1).endsWith("use --device cpu"));
    }

    @Test
    void poolSizeClassesAreQuartersOfPowersOfTwoAndWasteAtMostAQuarter() {
        assertEquals(4096, BufferPool.sizeClass(1));
        assertEquals(4096, BufferPool.sizeClass(4096));
        assertEquals(5120, BufferPool.sizeClass(4097));
        assertEquals(1L << 30, BufferPool.sizeClass((1L << 30) - 5));
        assertEquals((1L << 30) + (1L << 28), BufferPool.sizeClass((1L << 30) + 1));
        long logits = 4096L * 128256 * 4;                // the LM head's output of a 4096-row tick
        assertEquals(2L << 30, BufferPool.sizeClass(logits), "2.10 GB in the 2 GiB class");
        for (long b = 4097; b < 1 << 22; b += 977) {
            long c = BufferPool.sizeClass(b);
            assertEquals(true, c >= b && c <= b + b / 4, b + " -> " + c);
            assertEquals(c, BufferPool.sizeClass(c), "a size class is its own class");
        }
    }
}
