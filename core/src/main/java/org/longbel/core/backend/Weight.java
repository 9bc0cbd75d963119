package org.longbel.core.backend;

import org.longbel.core.Tensor;

/**
 * A checkpoint tensor as a {@link Backend} holds it: the mapped tensor itself on the CPU, a copy uploaded once to
 * device memory on a GPU. Made by {@link Backend#weight}.
 */
public interface Weight {

    /** The checkpoint tensor this weight was made from. */
    Tensor tensor();

    /** Rows: output features of a Linear weight {@code [out, in]}, vocabulary of an embedding. */
    default int rows() { return tensor().rows(); }

    /** Columns: input features of a Linear weight, width of an embedding. */
    default int cols() { return tensor().cols(); }
}
