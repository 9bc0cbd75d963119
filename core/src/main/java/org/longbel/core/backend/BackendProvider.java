package org.longbel.core.backend;

/**
 * A device backend found on the class path through {@link java.util.ServiceLoader} (the CUDA backend of the
 * {@code cuda-kernels} module registers one), so that {@code core} does not depend on it.
 */
public interface BackendProvider {

    /** The device this provider runs on. */
    Device device();

    /** Null when the device can be used here; otherwise one line saying why not (no driver, no GPU...). Cheap. */
    String unavailableReason();

    /** Opens a backend; throws with a message a user can act on when it cannot. */
    Backend open(BackendRequest request);
}
