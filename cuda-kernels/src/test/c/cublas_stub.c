/*
 * Test stand-in for libcublas: the cuBLAS functions org.longbel.cuda.blas.FfmCublasGemm binds, with the
 * C signatures of cublas_api.h (CUDA 13), recording their arguments instead of touching a GPU.
 * Built by the tests: gcc -shared -fPIC -Wl,-soname,libcublas.so.13 -o .../libcublas.so.13 cublas_stub.c
 * Extra exports (stub_*) read the record and inject errors.
 */
#include <stdlib.h>
#include <string.h>

typedef int cublasStatus_t;
typedef struct stub_handle { int magic; int live; } *cublasHandle_t;
typedef void *cudaStream_t;

#define OK 0
#define NOT_INITIALIZED 1
#define INVALID_VALUE 7

static int version = 130101;
static long long creates, destroys, set_streams, math_calls, gemms;
static long long last_created, last_destroyed, stream_handle, stream, math_handle, math_mode;
static long long last_gemm[19];
static char fail_call[64];
static int fail_status;

/* Returns the injected status if `call` is the one set by stub_fail_next (once), else OK. */
static int injected(const char *call) {
    if (fail_call[0] && strcmp(call, fail_call) == 0) {
        fail_call[0] = 0;
        return fail_status;
    }
    return OK;
}

static int valid(cublasHandle_t h) { return h != NULL && h->magic == 0x5eed && h->live; }

static long long float_bits(const void *p) {
    int bits;
    memcpy(&bits, p, sizeof bits);
    return bits;
}

cublasStatus_t cublasCreate_v2(cublasHandle_t *handle) {
    int s = injected("cublasCreate_v2");
    if (s) return s;
    cublasHandle_t h = malloc(sizeof *h);
    h->magic = 0x5eed;
    h->live = 1;
    *handle = h;
    creates++;
    last_created = (long long) (size_t) h;
    return OK;
}

cublasStatus_t cublasDestroy_v2(cublasHandle_t handle) {
    int s = injected("cublasDestroy_v2");
    if (s) return s;
    if (!valid(handle)) return NOT_INITIALIZED;
    handle->live = 0; /* never freed, so a second destroy is seen as such */
    destroys++;
    last_destroyed = (long long) (size_t) handle;
    return OK;
}

cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId) {
    int s = injected("cublasSetStream_v2");
    if (s) return s;
    if (!valid(handle)) return NOT_INITIALIZED;
    set_streams++;
    stream_handle = (long long) (size_t) handle;
    stream = (long long) (size_t) streamId;
    return OK;
}

cublasStatus_t cublasSetMathMode(cublasHandle_t handle, int mode) {
    int s = injected("cublasSetMathMode");
    if (s) return s;
    if (!valid(handle)) return NOT_INITIALIZED;
    math_calls++;
    math_handle = (long long) (size_t) handle;
    math_mode = mode;
    return OK;
}

cublasStatus_t cublasGetVersion_v2(cublasHandle_t handle, int *v) {
    int s = injected("cublasGetVersion_v2");
    if (s) return s;
    if (!valid(handle)) return NOT_INITIALIZED;
    *v = version;
    return OK;
}

const char *cublasGetStatusString(cublasStatus_t status) {
    switch (status) {
        case 0: return "stub: success";
        case 1: return "stub: the library was not initialized";
        case 13: return "stub: the function failed to launch on the GPU";
        default: return "stub: some error";
    }
}

cublasStatus_t cublasGemmEx(cublasHandle_t handle, int transa, int transb, int m, int n, int k,
                            const void *alpha, const void *A, int Atype, int lda,
                            const void *B, int Btype, int ldb,
                            const void *beta, void *C, int Ctype, int ldc,
                            int computeType, int algo) {
    int s = injected("cublasGemmEx");
    if (s) return s;
    if (!valid(handle)) return NOT_INITIALIZED;
    long long r[19] = {(long long) (size_t) handle, transa, transb, m, n, k,
                       float_bits(alpha), (long long) (size_t) A, Atype, lda,
                       (long long) (size_t) B, Btype, ldb,
                       float_bits(beta), (long long) (size_t) C, Ctype, ldc,
                       computeType, algo};
    memcpy(last_gemm, r, sizeof r);
    gemms++;
    return OK;
}

/* ---- test controls ---- */

void stub_reset(void) {
    creates = destroys = set_streams = math_calls = gemms = 0;
    last_created = last_destroyed = stream_handle = stream = math_handle = math_mode = 0;
    memset(last_gemm, 0, sizeof last_gemm);
    fail_call[0] = 0;
    version = 130101;
}

void stub_set_version(int v) { version = v; }

/* The next call of `call` (e.g. "cublasGemmEx") returns `status` and does nothing else. */
void stub_fail_next(const char *call, int status) {
    strncpy(fail_call, call, sizeof fail_call - 1);
    fail_call[sizeof fail_call - 1] = 0;
    fail_status = status;
}

/* Arguments of the last cublasGemmEx, in C order (alpha and beta as float bits); returns the call count. */
long long stub_last_gemm(long long *out) {
    memcpy(out, last_gemm, sizeof last_gemm);
    return gemms;
}

/* creates, destroys, last created handle, last destroyed handle, setStream calls, its handle, the stream,
   setMathMode calls, its handle, the mode. */
void stub_state(long long *out) {
    long long s[10] = {creates, destroys, last_created, last_destroyed, set_streams, stream_handle, stream,
                       math_calls, math_handle, math_mode};
    memcpy(out, s, sizeof s);
}
