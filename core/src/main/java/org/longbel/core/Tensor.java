package org.longbel.core;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A named, read-only tensor whose bytes live in a memory-mapped checkpoint file (row-major,
 * little-endian). Nothing is copied: {@code data} is a slice of the mapping.
 *
 * @param name  tensor name as in the checkpoint (e.g. {@code model.layers.0.self_attn.q_proj.weight})
 * @param dtype element type
 * @param shape dimensions, outermost first (a Linear weight is {@code [out, in]})
 * @param data  exactly {@code product(shape) * dtype.bytes()} bytes
 */
public record Tensor(String name, DType dtype, long[] shape, MemorySegment data) {

    /** Number of elements: the product of the shape (1 for a scalar). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /** The first dimension: output rows of a Linear weight, vocabulary of an embedding, width of a norm. */
    public int rows() { return (int) shape[0]; }

    /** The second dimension (input width of a Linear weight), or 1 for a 1-D tensor. */
    public int cols() { return shape.length == 1 ? 1 : (int) shape[1]; }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
