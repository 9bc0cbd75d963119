/**
 * The project's own CUDA kernels ({@code src/main/cuda/longbel_kernels.cu}: embedding, RMSNorm, RoPE, paged
 * KV writes and attention, SiLU-mul, residual add, BF16 conversions, row gathers, log-sum-exp and top-k) and
 * their Java launchers.
 *
 * <p>{@link org.longbel.cuda.kernels.KernelModule} loads the committed PTX (built by
 * {@code scripts/build-ptx.sh}), falling back to compiling the bundled source with
 * {@link org.longbel.cuda.kernels.Nvrtc} (bound through FFM) where the driver refuses it.
 * {@link org.longbel.cuda.kernels.Launches} holds every launch configuration as pure functions producing
 * {@link org.longbel.cuda.kernels.Launch} values (checked against the PTX signatures by tests without a GPU);
 * {@link org.longbel.cuda.kernels.Kernels} enqueues them on a stream.
 */
package org.longbel.cuda.kernels;
