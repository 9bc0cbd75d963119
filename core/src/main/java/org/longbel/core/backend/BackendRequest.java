package org.longbel.core.backend;

/**
 * What a caller asks of {@link Backends#open}.
 *
 * @param device    cpu, cuda, or auto (CUDA when usable)
 * @param threads   CPU threads for the matrix work (the CPU backend) or the host-side work (a GPU backend)
 * @param precision activations entering the GPU's matrix products (the CPU always computes float32)
 */
public record BackendRequest(Device device, int threads, Precision precision) {

    public BackendRequest {
        if (device == null || precision == null) throw new IllegalArgumentException("device and precision are required");
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }

    /** The CPU with {@code threads} threads, float32. */
    public static BackendRequest cpu(int threads) {
        return new BackendRequest(Device.CPU, threads, Precision.FP32);
    }
}
