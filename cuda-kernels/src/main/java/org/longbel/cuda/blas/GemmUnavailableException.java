package org.longbel.cuda.blas;

import java.util.List;

/** No GEMM implementation could be opened; the message lists why each was refused and where it looked. */
public class GemmUnavailableException extends RuntimeException {
    private final List<String> reasons;

    public GemmUnavailableException(String message, List<String> reasons) {
        super(message);
        this.reasons = List.copyOf(reasons);
    }

    /** One line per implementation tried: "JCublas: ...", "FFM cuBLAS: ...". */
    public List<String> reasons() { return reasons; }
}
