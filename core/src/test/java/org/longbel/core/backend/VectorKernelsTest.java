package org.longbel.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The folded lane sums of many vectors give exactly the bits of the one-vector tree. */
class VectorKernelsTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 8, 16, 24, 32})
    void foldedSumsEqualTheOneVectorTreeBitForBit(int count) {
        Random random = new Random(count);
        int lanes = VectorKernels.LANES;
        for (int trial = 0; trial < 50; trial++) {
            float[] v = new float[count * lanes];
            for (int i = 0; i < v.length; i++) v[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
            float[] expected = new float[count];
            for (int k = 0; k < count; k++) expected[k] = VectorKernels.sumLanes(FloatVector.fromArray(VectorKernels.F, v, k * lanes));
            VectorKernels.sumLanes(v, 0, count);
            for (int k = 0; k < count; k++) {
                assertEquals(Float.floatToRawIntBits(expected[k]), Float.floatToRawIntBits(v[k]), "vector " + k + " of " + count);
            }
        }
    }
}
