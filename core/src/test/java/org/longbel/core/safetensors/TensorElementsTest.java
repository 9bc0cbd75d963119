package org.longbel.core.safetensors;

import org.junit.jupiter.api.Test;
import org.longbel.core.DType;
import org.longbel.core.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorElementsTest {

    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Test
    void widensEachDtype() {
        try (Arena arena = Arena.ofConfined()) {
            float[] values = {1f, -2.5f, 0.099609375f, 65504f};
            MemorySegment bf16 = arena.allocate(2 * values.length + 1).asSlice(1); // deliberately unaligned
            MemorySegment f16 = arena.allocate(2 * values.length);
            MemorySegment f32 = arena.allocate(4 * values.length + 1).asSlice(1);
            for (int i = 0; i < values.length; i++) {
                bf16.set(SHORT_LE, 2L * i, TensorElements.floatToBf16(values[i]));
                f16.set(SHORT_LE, 2L * i, Float.floatToFloat16(values[i]));
                f32.set(FLOAT_LE, 4L * i, values[i]);
            }
            long[] shape = {2, 2};
            assertArrayEquals(new float[]{1f, -2.5f, 0.099609375f, 65536f},
                    TensorElements.toFloatArray(new Tensor("b", DType.BF16, shape, bf16)));
            assertArrayEquals(new float[]{1f, -2.5f, 0.099609375f, 65504f},
                    TensorElements.toFloatArray(new Tensor("h", DType.F16, shape, f16)));
            Tensor t = new Tensor("f", DType.F32, shape, f32);
            assertArrayEquals(values, TensorElements.toFloatArray(t));
            assertEquals(0.099609375f, TensorElements.get(t, 1, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> TensorElements.get(t, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> TensorElements.get(t, 0, 2));
        }
    }

    @Test
    void bf16RoundsToNearestEven() {
        assertEquals((short) 0x3F80, TensorElements.floatToBf16(1f));
        // 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: ties to the even mantissa (1)
        assertEquals((short) 0x3F80, TensorElements.floatToBf16(1f + 0x1.0p-8f));
        // 1 + 3 * 2^-8 lies halfway between 1 + 2^-7 (odd) and 1 + 2^-6: ties to 1 + 2^-6
        assertEquals(1f + 0x1.0p-6f, TensorElements.bf16ToFloat(TensorElements.floatToBf16(1f + 3 * 0x1.0p-8f)));
        assertEquals(1f + 0x1.0p-7f, TensorElements.bf16ToFloat(TensorElements.floatToBf16(1f + 0x1.2p-7f)));
        assertEquals(Float.NEGATIVE_INFINITY, TensorElements.bf16ToFloat(TensorElements.floatToBf16(Float.NEGATIVE_INFINITY)));
        assertTrue(Float.isNaN(TensorElements.bf16ToFloat(TensorElements.floatToBf16(Float.NaN))));
    }
}
