/**
 * Row-major GEMMs of the Llama forward on cuBLAS. {@link org.longbel.cuda.blas.Gemms#open} picks the
 * implementation at run time: JCuda's JCublas2 where CUDA 12's {@code libcublas.so.12} loads (JCublas 12.6's
 * natives need it), else a java.lang.foreign binding of the same few cuBLAS calls on {@code libcublas.so.13}
 * (CUDA 13, e.g. only inside a Python wheel), {@code .12} or {@code libcublas.so}, found through
 * {@link org.longbel.cuda.blas.GemmSearch}. Both call {@code cublasGemmEx} with FP32 accumulation
 * ({@code CUBLAS_COMPUTE_32F}, default math mode, so no TF32).
 */
package org.longbel.cuda.blas;
