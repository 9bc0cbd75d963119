package org.longbel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Rotary frequencies against the llama3 formula evaluated in double precision. */
class RopeTest {

    @Test
    void unscaledFrequenciesAreInversePowersOfTheta() {
        float[] inv = Rope.of(ModelConfig.RopeConfig.unscaled(10000), 8).inverseFrequencies();
        assertEquals(4, inv.length);
        for (int i = 0; i < 4; i++) assertEquals(Math.pow(10000, -2.0 * i / 8), inv[i], 1e-6 * inv[i]);
    }

    @Test
    void llama3ScalingKeepsDividesAndSmoothsTheThreeBands() {
        ModelConfig.RopeConfig rope = new ModelConfig.RopeConfig(500000, "llama3", 32, 1, 4, 8192);
        float[] inv = Rope.of(rope, 16).inverseFrequencies();
        int kept = 0, divided = 0, smoothed = 0;
        for (int i = 0; i < inv.length; i++) {
            double base = Math.pow(500000, -2.0 * i / 16), wavelen = 2 * Math.PI / base, expected;
            if (wavelen < 8192 / 4.0) {
                expected = base;
                kept++;
            } else if (wavelen > 8192 / 1.0) {
                expected = base / 32;
                divided++;
            } else {
                double s = (8192 / wavelen - 1) / (4 - 1);
                expected = (1 - s) * base / 32 + s * base;
                smoothed++;
            }
            assertEquals(expected, inv[i], 1e-6 * expected, "frequency " + i);
        }
        assertEquals(8, kept + divided + smoothed);
        assertTrue(kept > 0 && divided > 0 && smoothed > 0, "all three bands occur for head_dim 16, theta 5e5");
    }
}
