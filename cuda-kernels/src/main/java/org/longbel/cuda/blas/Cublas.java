package org.longbel.cuda.blas;

/**
 * cuBLAS constants this package passes, and the argument checks shared by both implementations.
 * Values checked against the CUDA 13 headers: {@code cublas_api.h} of the nvidia-cublas 13.1.1.3 wheel
 * ({@code nvidia/cu13/include}) and {@code /usr/local/cuda-13.0/include/library_types.h}; they are the same
 * in CUDA 12.
 */
final class Cublas {
    private Cublas() {}

    static final int CUBLAS_OP_N = 0;
    static final int CUBLAS_OP_T = 1;
    /** cudaDataType_t (library_types.h). */
    static final int CUDA_R_32F = 0;
    static final int CUDA_R_16BF = 14;
    /** cublasComputeType_t: float accumulation, no down-conversion to TF32/BF16. */
    static final int CUBLAS_COMPUTE_32F = 68;
    /** cublasGemmAlgo_t. */
    static final int CUBLAS_GEMM_DEFAULT = -1;
    /** cublasMath_t: no TF32 tensor-op math for float routines. */
    static final int CUBLAS_DEFAULT_MATH = 0;

    static int dataType(Gemm.Operands ops) {
        return switch (ops) {
            case BF16 -> CUDA_R_16BF;
            case F32 -> CUDA_R_32F;
        };
    }

    /** cublasStatus_t names (cublas_api.h). */
    static String statusName(int status) {
        return switch (status) {
            case 0 -> "CUBLAS_STATUS_SUCCESS";
            case 1 -> "CUBLAS_STATUS_NOT_INITIALIZED";
            case 3 -> "CUBLAS_STATUS_ALLOC_FAILED";
            case 7 -> "CUBLAS_STATUS_INVALID_VALUE";
            case 8 -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case 11 -> "CUBLAS_STATUS_MAPPING_ERROR";
            case 13 -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case 14 -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case 15 -> "CUBLAS_STATUS_NOT_SUPPORTED";
            case 16 -> "CUBLAS_STATUS_LICENSE_ERROR";
            default -> "CUBLAS_STATUS_" + status;
        };
    }

    /** "13.1.1" from cublasGetVersion's major*10000 + minor*100 + patch. */
    static String version(int v) {
        return (v / 10000) + "." + (v / 100 % 100) + "." + (v % 100);
    }

    /** Rejects what cuBLAS's 32-bit API cannot take, before any native call. */
    static void checkArguments(Gemm.Operands ops, long w, long x, long out, int rows, int in, int outDim) {
        if (ops == null) throw new IllegalArgumentException("operand type is null");
        if (rows <= 0 || in <= 0 || outDim <= 0) {
            throw new IllegalArgumentException("GEMM sizes must be positive: rows=" + rows + " in=" + in
                    + " outDim=" + outDim);
        }
        checkCount("x", (long) rows * in);
        checkCount("w", (long) outDim * in);
        checkCount("out", (long) rows * outDim);
        if (w == 0 || x == 0 || out == 0) {
            throw new IllegalArgumentException("null device pointer: w=" + w + " x=" + x + " out=" + out);
        }
    }

    private static void checkCount(String what, long elements) {
        if (elements > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " has " + elements
                    + " elements, more than the 32-bit cuBLAS API addresses (" + Integer.MAX_VALUE + ")");
        }
    }
}
