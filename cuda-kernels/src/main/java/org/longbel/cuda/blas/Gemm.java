package org.longbel.cuda.blas;

/** Row-major GEMMs of the Llama forward on cuBLAS; one per CUDA context/stream, not thread-safe. */
public interface Gemm extends AutoCloseable {

    /** Type of both inputs; the output and the accumulation are always float32. */
    enum Operands { BF16, F32 }

    /**
     * Which implementation, library path and cuBLAS version, for the log, e.g.
     * "FFM cuBLAS 13.1.1 (/path/libcublas.so.13)".
     */
    String description();

    /**
     * out[rows, outDim] (float32, row-major) = x[rows, in] · wᵀ, where w is [outDim, in] row-major and x is
     * [rows, in] row-major, both of type {@code ops}, device pointers (raw addresses). FP32 accumulation
     * (CUBLAS_COMPUTE_32F, no TF32). Runs asynchronously on the stream the Gemm was opened with.
     *
     * @throws IllegalArgumentException for a non-positive size, an element count past {@code int}, or a null
     *                                  pointer, before any native call
     * @throws CublasException          when cuBLAS returns an error status (the message names the call and it)
     * @throws IllegalStateException    after {@link #close()}
     */
    void matmul(Operands ops, long w, long x, long out, int rows, int in, int outDim);

    /** Destroys the cuBLAS handle; a second close does nothing. */
    @Override
    void close();
}
