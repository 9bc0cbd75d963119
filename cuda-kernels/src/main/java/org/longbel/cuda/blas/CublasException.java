package org.longbel.cuda.blas;

import org.longbel.cuda.CudaException;

/** A cuBLAS call returned an error status; the message names the call and the status (name and number). */
public class CublasException extends CudaException {
    private final String call;
    private final int status;

    public CublasException(String call, int status, String detail) {
        super(call + " failed: " + Cublas.statusName(status) + " (" + status + ")"
                + (detail == null || detail.isBlank() ? "" : ": " + detail));
        this.call = call;
        this.status = status;
    }

    /** The cuBLAS function that failed, e.g. "cublasGemmEx". */
    public String call() { return call; }

    /** The cublasStatus_t it returned. */
    public int status() { return status; }
}
