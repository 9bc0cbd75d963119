package org.longbel.core.safetensors;

import org.longbel.core.Tensor;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Element-by-element reads of a {@link Tensor} as float, for tests and tools (not for kernels: it is
 * one bounds-checked access per element). BF16 and F16 are widened exactly.
 */
public final class TensorElements {

    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private TensorElements() {
    }

    /** Element {@code index} of the flattened (row-major) tensor, widened to float. */
    public static float get(Tensor t, long index) {
        long n = t.elementCount();
        if (index < 0 || index >= n) {
            throw new IndexOutOfBoundsException("element " + index + " of " + t + " (" + n + " elements)");
        }
        long offset = index * t.dtype().bytes();
        return switch (t.dtype()) {
            case BF16 -> bf16ToFloat(t.data().get(SHORT_LE, offset));
            case F16 -> Float.float16ToFloat(t.data().get(SHORT_LE, offset));
            case F32 -> t.data().get(FLOAT_LE, offset);
        };
    }

    /** Element {@code [row, col]} of a 2-D tensor, widened to float. */
    public static float get(Tensor t, long row, long col) {
        if (t.shape().length != 2 || row < 0 || row >= t.shape()[0] || col < 0 || col >= t.shape()[1]) {
            throw new IndexOutOfBoundsException("[" + row + ", " + col + "] of " + t);
        }
        return get(t, row * t.shape()[1] + col);
    }

    /** All elements, widened to float (small tensors only: the result is on the heap). */
    public static float[] toFloatArray(Tensor t) {
        long n = t.elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(t + " is too large for one float[]");
        }
        float[] out = new float[(int) n];
        for (int i = 0; i < out.length; i++) out[i] = get(t, i);
        return out;
    }

    /** A bfloat16 bit pattern (the upper half of a float32) as float. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** The bfloat16 nearest to {@code f} (round to nearest, ties to even; NaN stays NaN). */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }
}
