package org.longbel.core.backend;

/**
 * A float32 buffer of activations owned by a {@link Backend}: a Java array for the CPU, device memory for a GPU.
 * Made by {@link Backend#allocate}; filled and read back only through the backend that made it.
 */
public interface ActivationBuffer extends AutoCloseable {

    /** Floats the buffer holds. */
    int floats();

    /** Gives the memory back to the backend (a no-op for a host array). */
    @Override
    void close();
}
