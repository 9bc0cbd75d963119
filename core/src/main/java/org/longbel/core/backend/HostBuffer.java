package org.longbel.core.backend;

/** The CPU's {@link ActivationBuffer}: a float array on the Java heap. */
record HostBuffer(float[] array) implements ActivationBuffer {

    @Override
    public int floats() { return array.length; }

    @Override
    public void close() {
    }
}
