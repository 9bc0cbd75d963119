/**
 * CUDA side of the engine. {@link org.longbel.cuda.CudaDriver} binds a few driver-API calls
 * ({@code libcuda.so.1}) through the FFM API for the device probe ({@link org.longbel.cuda.GpuCheck},
 * {@code longbel gpu-check}); {@link org.longbel.cuda.NativeLibraries} finds CUDA's shared libraries on a
 * configurable search path. The backend itself is in {@code backend} (JCuda driver API), its GEMMs in
 * {@code blas} (cuBLAS through JCublas or FFM) and its kernels in {@code kernels} (PTX, NVRTC fallback).
 */
package org.longbel.cuda;
