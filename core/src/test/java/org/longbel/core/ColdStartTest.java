package org.longbel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link LlamaModel#load} does for a fast first forward changes no result and stops cleanly when the model is
 * closed at once.
 */
class ColdStartTest {

    @Test
    void closingRightAfterLoadStopsThePrefetch(@TempDir Path tmp) {
        Path dir = TestCheckpoints.writeSmall(tmp, "small", true, DType.F32);
        for (int i = 0; i < 3; i++) LlamaModel.load(dir, 2).close();
    }

    @Test
    void prefetchedCheckpointReadsTheSame(@TempDir Path tmp) {
        Path dir = TestCheckpoints.writeSmall(tmp, "small", false, DType.BF16);
        try (Checkpoint a = Checkpoint.open(dir); Checkpoint b = Checkpoint.open(dir)) {
            a.prefetch();
            a.prefetch(); // once per checkpoint
            Tensor ta = a.weights().lmHead(), tb = b.weights().lmHead();
            assertEquals(ta.data().byteSize(), tb.data().byteSize());
            assertEquals(-1L, ta.data().mismatch(tb.data()));
        }
    }
}
