package org.longbel.core.safetensors;

import org.longbel.core.DType;

import java.util.Arrays;

/**
 * One tensor entry of a safetensors header.
 *
 * @param name  tensor name
 * @param dtype element type
 * @param shape dimensions, outermost first
 * @param begin first byte, relative to the start of the data section
 * @param end   one past the last byte, relative to the start of the data section
 */
public record TensorEntry(String name, DType dtype, long[] shape, long begin, long end) {

    /** Number of bytes the entry covers ({@code end - begin}). */
    public long byteSize() { return end - begin; }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
    }
}
