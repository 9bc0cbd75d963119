package org.longbel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The float32 exponential and log-softmax shared by beam search and {@code logprobs}. */
class LogSoftmaxTest {

    @Test
    void expIsWithinTwoUlpsOfMathExp() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            float x = (float) (-87.0 * random.nextDouble());
            float expected = (float) Math.exp(x);
            float actual = LogSoftmax.expNonPositive(x);
            assertTrue(Math.abs(actual - expected) <= 2 * Math.ulp(expected), x + ": " + actual + " vs " + expected);
        }
        assertEquals(1f, LogSoftmax.expNonPositive(0f));
        assertTrue(LogSoftmax.expNonPositive(Float.NEGATIVE_INFINITY) <= 2 * Float.MIN_NORMAL);
    }

    @Test
    void vectorAndScalarExpGiveTheSameBits() {
        SplittableRandom random = new SplittableRandom(11);
        float[] x = new float[LogSoftmax.SPECIES.length() * 1000];
        for (int i = 0; i < x.length; i++) x[i] = (float) (-100.0 * random.nextDouble());
        for (int i = 0; i < x.length; i += LogSoftmax.SPECIES.length()) {
            float[] lanes = LogSoftmax.expNonPositive(FloatVector.fromArray(LogSoftmax.SPECIES, x, i)).toArray();
            for (int j = 0; j < lanes.length; j++) {
                assertEquals(Float.floatToIntBits(LogSoftmax.expNonPositive(x[i + j])), Float.floatToIntBits(lanes[j]));
            }
        }
    }

    @Test
    void logSoftmaxIsRepeatableAndCloseToDouble() {
        SplittableRandom random = new SplittableRandom(3);
        float[] row = new float[128_257];
        for (int i = 0; i < row.length; i++) row[i] = (float) (random.nextGaussian() * 4);
        LogSoftmax.Normalizer first = LogSoftmax.normalizer(row);
        for (int round = 0; round < 2_000; round++) { // warm the JIT: the result must not change when compiled
            LogSoftmax.Normalizer again = LogSoftmax.normalizer(row);
            assertEquals(Float.floatToIntBits(first.logSum()), Float.floatToIntBits(again.logSum()));
        }
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : row) max = Math.max(max, v);
        for (float v : row) sum += Math.exp(v - max);
        assertEquals(Math.log(sum), first.logSum(), 1e-4); // float32 summation of 128257 terms
        float[] lp = LogSoftmax.of(row);
        for (int i = 0; i < row.length; i += 1000) assertEquals(first.apply(row[i]), lp[i]);
    }
}
