/**
 * CUDA side of the engine. This wave holds only the device probe: {@link org.longbel.cuda.CudaDriver}
 * binds a handful of CUDA driver-API calls ({@code libcuda.so.1}, shipped with the NVIDIA driver) through
 * the FFM API and {@link org.longbel.cuda.GpuCheck} reports what it finds. The CUDA
 * {@link org.longbel.core.backend backend} (JCublas matmuls, PTX kernels for RMSNorm, RoPE and paged
 * attention) lands here in the next wave, behind the same Backend interface as the CPU path.
 */
package org.longbel.cuda;
