package org.longbel.core;

/** Element types of checkpoint tensors that the engine reads in place. */
public enum DType {
    BF16(2), F16(2), F32(4);

    private final int bytes;

    DType(int bytes) { this.bytes = bytes; }

    /** Size of one element in bytes. */
    public int bytes() { return bytes; }
}
