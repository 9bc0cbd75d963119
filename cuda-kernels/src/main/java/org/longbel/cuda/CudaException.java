package org.longbel.cuda;

/** A CUDA driver call failed or the driver is unusable; the message names the call and the error code. */
public class CudaException extends RuntimeException {
    public CudaException(String message) { super(message); }
}
