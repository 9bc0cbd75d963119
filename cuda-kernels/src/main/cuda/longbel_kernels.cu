// LongBEL CUDA kernels (Llama-3.2 inference), compiled to the committed PTX by scripts/build-ptx.sh and,
// where a driver refuses that PTX, at run time by NVRTC (org.longbel.cuda.kernels.KernelModule).
//
// Conventions: activations float32 row-major; weights BF16 stored as unsigned short (the upper 16 bits of
// a float32). Every result depends only on its own row's inputs and every reduction has a fixed shape and
// order (per-thread sequential strided sums, then a fixed butterfly / shared-memory tree), so results are
// bitwise independent of the batch size and of the other rows. No fast-math: expf/logf/rsqrtf are the
// standard CUDA ones.
//
// The launch configuration of every kernel (grid, block, dynamic shared memory) lives in
// org.longbel.cuda.kernels.Kernels, next to these constants: keep the two in step.
//
// This file must compile with NVRTC as well as nvcc: no host code, no #include of system headers.

#define ROW_THREADS 256   // embed_bf16, rms_norm, rope, write_kv, gather_rows: one CTA per row
#define EW_THREADS 256    // element-wise kernels: grid-stride loops
#define LSE_THREADS 512   // row_logsumexp: one CTA per row
#define TOPK_THREADS 256  // topk_rows: one CTA per row
#define ATT_WARPS 4       // attention: 4 warps per CTA, one CTA per (row, kv head, query-head chunk)
#define ATT_THREADS (ATT_WARPS * 32)

#define NEG_INF (__int_as_float(0xff800000))

__device__ __forceinline__ float bf16_widen(unsigned short h) {
    return __uint_as_float(((unsigned int) h) << 16);
}

__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;  // a butterfly: every lane adds the same two operands at every level, so all lanes agree bitwise
}

__device__ __forceinline__ float warp_max(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// Fixed-shape block reductions: warp butterfly, then warp 0 reduces the per-warp results (padded with the
// identity). The result is returned to every thread. `scratch` holds at least 32 floats; blockDim.x is a
// multiple of 32.
__device__ float block_sum(float v, float* scratch) {
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nw = blockDim.x >> 5;
    v = warp_sum(v);
    __syncthreads();
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    if (warp == 0) {
        float w = lane < nw ? scratch[lane] : 0.0f;
        w = warp_sum(w);
        if (lane == 0) scratch[0] = w;
    }
    __syncthreads();
    return scratch[0];
}

__device__ float block_max(float v, float* scratch) {
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nw = blockDim.x >> 5;
    v = warp_max(v);
    __syncthreads();
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    if (warp == 0) {
        float w = lane < nw ? scratch[lane] : NEG_INF;
        w = warp_max(w);
        if (lane == 0) scratch[0] = w;
    }
    __syncthreads();
    return scratch[0];
}

// ---------------------------------------------------------------------------------------------------------
// 1. embedding lookup: grid (rows), block ROW_THREADS
extern "C" __global__ void __launch_bounds__(ROW_THREADS)
embed_bf16(const unsigned short* table, const int* ids, float* out, int rows, int dim) {
    int r = blockIdx.x;
    if (r >= rows) return;
    const unsigned short* src = table + (long long) ids[r] * dim;
    float* dst = out + (long long) r * dim;
    for (int i = threadIdx.x; i < dim; i += blockDim.x) dst[i] = bf16_widen(src[i]);
}

__device__ __forceinline__ float weight_at(const unsigned short* w, int i) { return bf16_widen(w[i]); }
__device__ __forceinline__ float weight_at(const float* w, int i) { return w[i]; }

// One row of RMSNorm as Hugging Face computes it: out = (x * rsqrt(mean(x^2) + eps)) * w. The sum of squares is
// a per-thread fma chain over i = threadIdx.x, +blockDim.x, ... then the fixed-shape block tree: its order depends
// only on dim. out may alias x (each thread reads its elements before writing them, after the reduction).
template <typename W>
__device__ __forceinline__ void rms_norm_row(const float* x, const W* weight, float* out, int rows, int dim, float eps,
                                             float* scratch) {
    int r = blockIdx.x;
    if (r >= rows) return;
    const float* xr = x + (long long) r * dim;
    float* o = out + (long long) r * dim;
    float ss = 0.0f;
    for (int i = threadIdx.x; i < dim; i += blockDim.x) ss = fmaf(xr[i], xr[i], ss);
    ss = block_sum(ss, scratch);
    float inv = rsqrtf(ss / (float) dim + eps);
    for (int i = threadIdx.x; i < dim; i += blockDim.x) o[i] = (xr[i] * inv) * weight_at(weight, i);
}

// 2. RMSNorm (Hugging Face): out = (x * rsqrt(mean(x^2) + eps)) * widen(weight). grid (rows), block
// ROW_THREADS. out may alias x: each thread reads x[i] before it writes out[i] and no other thread reads it
// after the reduction.
extern "C" __global__ void __launch_bounds__(ROW_THREADS)
rms_norm(const float* x, const unsigned short* weight, float* out, int rows, int dim, float eps) {
    __shared__ float scratch[32];
    rms_norm_row(x, weight, out, rows, dim, eps, scratch);
}

// 2b. RMSNorm with a float32 weight (F32 and F16 checkpoints). grid (rows), block ROW_THREADS.
extern "C" __global__ void __launch_bounds__(ROW_THREADS)
rms_norm_f32w(const float* x, const float* weight, float* out, int rows, int dim, float eps) {
    __shared__ float scratch[32];
    rms_norm_row(x, weight, out, rows, dim, eps, scratch);
}

// 3. RoPE, in place, HF half-split layout. cosT/sinT are [rows, headDim/2]. grid (rows), block ROW_THREADS.
extern "C" __global__ void __launch_bounds__(ROW_THREADS)
rope(float* x, const float* cosT, const float* sinT, int rows, int heads, int headDim) {
    int r = blockIdx.x;
    if (r >= rows) return;
    int half = headDim >> 1;
    float* xr = x + (long long) r * heads * headDim;
    const float* c = cosT + (long long) r * half;
    const float* s = sinT + (long long) r * half;
    for (int idx = threadIdx.x; idx < heads * half; idx += blockDim.x) {
        int h = idx / half, i = idx - h * half;
        float* p = xr + h * headDim + i;
        float a = p[0], b = p[half], cs = c[i], sn = s[i];
        p[0] = a * cs - b * sn;
        p[half] = b * cs + a * sn;
    }
}

// 4. KV-cache write into the paged pool. grid (rows), block ROW_THREADS.
extern "C" __global__ void __launch_bounds__(ROW_THREADS)
write_kv(const float* k, const float* v, float* pool, const int* rowBlock, const int* rowSlot, int rows,
         int kvDim, int blockSize, int layer, long long blockFloats) {
    int r = blockIdx.x;
    if (r >= rows) return;
    float* base = pool + (long long) rowBlock[r] * blockFloats;
    long long slot = rowSlot[r];
    float* kd = base + ((2LL * layer) * blockSize + slot) * kvDim;
    float* vd = base + ((2LL * layer + 1) * blockSize + slot) * kvDim;
    const float* ks = k + (long long) r * kvDim;
    const float* vs = v + (long long) r * kvDim;
    for (int i = threadIdx.x; i < kvDim; i += blockDim.x) {
        kd[i] = ks[i];
        vd[i] = vs[i];
    }
}

// 5. Causal paged attention, one query row at a time.
//
// grid (rows, kvHeads, G / GC), block ATT_THREADS, where G = heads / kvHeads and GC, the query heads one CTA
// covers, is the largest of 4, 2, 1 that divides G (for Llama-3.2: G = 4, one CTA per (row, kv head)
// covering the whole GQA group, so K and V are read once per group). Keys come in tiles of 32; tile t goes to
// warp t % ATT_WARPS. In a tile, lane j scores key j against the CTA's GC query heads (q in shared memory),
// the warp updates its online-softmax state (max, sum) once per tile, and then accumulates p * V with each
// lane owning a float2 of every 64 output dimensions. At the end the warps' states are merged in warp order.
// All orders depend on positions[r] only.
//
// Dynamic shared memory (bytes), see Kernels.attentionSharedBytes:
//   ATT_WARPS*32 * 8                     value-row offsets (long long) of the current tile, per warp
//   + 4 * (headDim*GC                   q, laid out [d][g]
//          + ATT_WARPS*32*GC            softmax weights p of the current tile, [warp][key][g]
//          + 2*ATT_WARPS*GC             per-warp max and sum, at the end
//          + ATT_WARPS*GC*headDim)      per-warp output accumulators, at the end
template <int GC, int NI2>
__device__ __forceinline__ void attention_impl(const float* __restrict__ q, const float* __restrict__ pool,
        const int* __restrict__ tables, const int* __restrict__ rowTableStart, const int* __restrict__ positions,
        float* __restrict__ out, int heads, int kvHeads, int headDim, int blockSize, int layer,
        long long blockFloats, float scale) {
    extern __shared__ __align__(16) unsigned char att_smem[];
    long long* voff_s = (long long*) att_smem;
    float* q_s = (float*) (voff_s + ATT_WARPS * 32);
    float* p_s = q_s + headDim * GC;
    float* m_s = p_s + ATT_WARPS * 32 * GC;
    float* l_s = m_s + ATT_WARPS * GC;
    float* acc_s = l_s + ATT_WARPS * GC;

    const int r = blockIdx.x, kvh = blockIdx.y;
    const int G = heads / kvHeads;
    const int h0 = kvh * G + blockIdx.z * GC;
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const int nkeys = positions[r] + 1;
    const int kvDim = kvHeads * headDim;
    const int half = headDim >> 1;
    const float* qr = q + (long long) r * heads * headDim;

    for (int idx = threadIdx.x; idx < GC * headDim; idx += blockDim.x) {
        int g = idx / headDim, d = idx - g * headDim;
        q_s[d * GC + g] = qr[(h0 + g) * headDim + d];
    }
    __syncthreads();

    float m[GC], l[GC], acc[GC][NI2][2];
#pragma unroll
    for (int g = 0; g < GC; ++g) {
        m[g] = NEG_INF;
        l[g] = 0.0f;
#pragma unroll
        for (int i = 0; i < NI2; ++i) acc[g][i][0] = acc[g][i][1] = 0.0f;
    }

    const int* tab = tables + rowTableStart[r];
    const long long layerKey = (2LL * layer) * blockSize;
    const long long valueShift = (long long) blockSize * kvDim;
    const int ntiles = (nkeys + 31) >> 5;
    float* pw = p_s + warp * 32 * GC;
    long long* vw = voff_s + warp * 32;

    for (int t = warp; t < ntiles; t += ATT_WARPS) {
        const int p = (t << 5) + lane;
        const bool valid = p < nkeys;
        float s[GC];
#pragma unroll
        for (int g = 0; g < GC; ++g) s[g] = 0.0f;
        long long off = 0;
        if (valid) {
            int blk = tab[p / blockSize];
            int slot = p - (p / blockSize) * blockSize;
            off = (long long) blk * blockFloats + (layerKey + slot) * kvDim + (long long) kvh * headDim;
            const float2* kp = (const float2*) (pool + off);
            for (int d2 = 0; d2 < half; ++d2) {
                float2 kk = kp[d2];
                const float* q0 = q_s + (2 * d2) * GC;
#pragma unroll
                for (int g = 0; g < GC; ++g) {
                    s[g] = fmaf(q0[g], kk.x, s[g]);
                    s[g] = fmaf(q0[GC + g], kk.y, s[g]);
                }
            }
        }
        vw[lane] = off + valueShift;
#pragma unroll
        for (int g = 0; g < GC; ++g) {
            float sc = valid ? s[g] * scale : NEG_INF;
            float mnew = fmaxf(m[g], warp_max(sc));
            float corr = m[g] == NEG_INF ? 0.0f : expf(m[g] - mnew);
            float pj = valid ? expf(sc - mnew) : 0.0f;
            l[g] = fmaf(l[g], corr, warp_sum(pj));
            m[g] = mnew;
#pragma unroll
            for (int i = 0; i < NI2; ++i) {
                acc[g][i][0] *= corr;
                acc[g][i][1] *= corr;
            }
            pw[lane * GC + g] = pj;
        }
        __syncwarp();
        const int nv = min(32, nkeys - (t << 5));
        for (int j = 0; j < nv; ++j) {
            const float2* vp = (const float2*) (pool + vw[j]);
            float pg[GC];
#pragma unroll
            for (int g = 0; g < GC; ++g) pg[g] = pw[j * GC + g];
#pragma unroll
            for (int i = 0; i < NI2; ++i) {
                int d2 = lane + 32 * i;
                if (d2 < half) {
                    float2 vv = vp[d2];
#pragma unroll
                    for (int g = 0; g < GC; ++g) {
                        acc[g][i][0] = fmaf(pg[g], vv.x, acc[g][i][0]);
                        acc[g][i][1] = fmaf(pg[g], vv.y, acc[g][i][1]);
                    }
                }
            }
        }
        __syncwarp();
    }

#pragma unroll
    for (int g = 0; g < GC; ++g) {
        if (lane == 0) {
            m_s[warp * GC + g] = m[g];
            l_s[warp * GC + g] = l[g];
        }
        float* a = acc_s + (warp * GC + g) * headDim;
#pragma unroll
        for (int i = 0; i < NI2; ++i) {
            int d2 = lane + 32 * i;
            if (d2 < half) {
                a[2 * d2] = acc[g][i][0];
                a[2 * d2 + 1] = acc[g][i][1];
            }
        }
    }
    __syncthreads();
    float* orow = out + (long long) r * heads * headDim;
    for (int idx = threadIdx.x; idx < GC * headDim; idx += blockDim.x) {
        int g = idx / headDim, d = idx - g * headDim;
        float mx = NEG_INF;
        for (int w = 0; w < ATT_WARPS; ++w) mx = fmaxf(mx, m_s[w * GC + g]);
        float num = 0.0f, den = 0.0f;
        for (int w = 0; w < ATT_WARPS; ++w) {
            float mw = m_s[w * GC + g];
            float f = mw == NEG_INF ? 0.0f : expf(mw - mx);
            num = fmaf(acc_s[(w * GC + g) * headDim + d], f, num);
            den = fmaf(l_s[w * GC + g], f, den);
        }
        orow[(h0 + g) * headDim + d] = num / den;
    }
}

#define ATT_ARGS q, pool, tables, rowTableStart, positions, out, heads, kvHeads, headDim, blockSize, layer, \
                 blockFloats, scale
#define ATT_NI2(GC_)                                                         \
    if (headDim <= 64) attention_impl<GC_, 1>(ATT_ARGS);                     \
    else if (headDim <= 128) attention_impl<GC_, 2>(ATT_ARGS);               \
    else attention_impl<GC_, 4>(ATT_ARGS);

extern "C" __global__ void __launch_bounds__(ATT_THREADS)
attention(const float* q, const float* pool, const int* tables, const int* rowTableStart, const int* positions,
          float* out, int rows, int heads, int kvHeads, int headDim, int blockSize, int layer,
          long long blockFloats, float scale) {
    if ((int) blockIdx.x >= rows) return;
    int gc = heads / kvHeads / (int) gridDim.z;
    switch (gc) {
        case 1: { ATT_NI2(1) break; }
        case 2: { ATT_NI2(2) break; }
        case 4: { ATT_NI2(4) break; }
        default: break;  // the launcher never picks another chunk size
    }
}

// ---------------------------------------------------------------------------------------------------------
// 6.-8. element-wise kernels: grid min(ceil(n / EW_THREADS), 65536), block EW_THREADS, grid-stride loops.

// gate = silu(gate) * up, without overflow for large |gate|
extern "C" __global__ void __launch_bounds__(EW_THREADS)
silu_mul(float* gate, const float* up, long long n) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        float g = gate[i];
        float e = expf(-fabsf(g));
        float sig = g >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
        gate[i] = g * sig * up[i];
    }
}

extern "C" __global__ void __launch_bounds__(EW_THREADS)
add_inplace(float* x, const float* y, long long n) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        x[i] += y[i];
}

// round to nearest even; NaN stays NaN (quietened)
extern "C" __global__ void __launch_bounds__(EW_THREADS)
f32_to_bf16(const float* x, unsigned short* out, long long n) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        unsigned int b = __float_as_uint(x[i]);
        unsigned int h;
        if ((b & 0x7fffffffu) > 0x7f800000u) h = (b >> 16) | 0x40u;
        else h = (b + 0x7fffu + ((b >> 16) & 1u)) >> 16;
        out[i] = (unsigned short) h;
    }
}

extern "C" __global__ void __launch_bounds__(EW_THREADS)
bf16_to_f32(const unsigned short* x, float* out, long long n) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        out[i] = bf16_widen(x[i]);
}

// 9. out[i,:] = x[rowIds[i],:]. grid (n), block ROW_THREADS.
extern "C" __global__ void __launch_bounds__(ROW_THREADS)
gather_rows(const float* x, const int* rowIds, float* out, int n, int dim) {
    int i = blockIdx.x;
    if (i >= n) return;
    const float* src = x + (long long) rowIds[i] * dim;
    float* dst = out + (long long) i * dim;
    for (int j = threadIdx.x; j < dim; j += blockDim.x) dst[j] = src[j];
}

// The log-softmax normaliser of row r: its max and log(sum(exp(x - max))), both returned to every thread.
__device__ __forceinline__ void row_normaliser(const float* logits, int r, int vocab, float* scratch, float* maxOut,
                                               float* logSumOut) {
    const float* x = logits + (long long) r * vocab;
    float mx = NEG_INF;
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) mx = fmaxf(mx, x[i]);
    mx = block_max(mx, scratch);
    if (mx == NEG_INF) {  // every logit is -inf (or the row is empty)
        *maxOut = NEG_INF;
        *logSumOut = NEG_INF;
        return;
    }
    float s = 0.0f;
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) s += expf(x[i] - mx);
    s = block_sum(s, scratch);
    *maxOut = mx;
    *logSumOut = logf(s);
}

// 10. out[r] = max + log(sum(exp(x - max))). grid (rows), block LSE_THREADS.
extern "C" __global__ void __launch_bounds__(LSE_THREADS)
row_logsumexp(const float* logits, float* out, int rows, int vocab) {
    __shared__ float scratch[32];
    int r = blockIdx.x;
    if (r >= rows) return;
    float mx, logSum;
    row_normaliser(logits, r, vocab, scratch, &mx, &logSum);
    if (threadIdx.x == 0) out[r] = mx == NEG_INF ? NEG_INF : mx + logSum;
}

// 10b. The normaliser in two parts, as the host's LogSoftmax.Normalizer keeps it (log_softmax(x) = (x - max) - logSum):
// out[2r] = max, out[2r + 1] = logSum, for the rows listed in rowIds (n of them). grid (n), block LSE_THREADS.
extern "C" __global__ void __launch_bounds__(LSE_THREADS)
row_normalizers(const float* logits, const int* rowIds, float* out, int n, int vocab) {
    __shared__ float scratch[32];
    int i = blockIdx.x;
    if (i >= n) return;
    float mx, logSum;
    row_normaliser(logits, rowIds[i], vocab, scratch, &mx, &logSum);
    if (threadIdx.x == 0) {
        out[2 * i] = mx;
        out[2 * i + 1] = logSum;
    }
}

// 11. out[i] = logits[rowOf[i]*vocab + tokens[i]]. grid min(ceil(n / EW_THREADS), 65536), block EW_THREADS.
extern "C" __global__ void __launch_bounds__(EW_THREADS)
gather_logits(const float* logits, const int* rowOf, const int* tokens, float* out, int n, int vocab) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
        out[i] = logits[(long long) rowOf[i] * vocab + tokens[i]];
}

// 12. top-k log-probs per row, descending, ties to the lower token id. grid (rows), block TOPK_THREADS,
// static shared memory only. Radix select (4 passes of 8 bits over order-preserving keys of logits - lse)
// finds the k-th largest key T; the keys > T are gathered (fewer than k), then the keys == T with the lowest
// ids in id order, then the k candidates are ranked by (key desc, id asc). The histograms count with shared
// atomics, which is exact; the candidates' gather order varies but the final ranking does not.
#define TOPK_MAX 64

__device__ __forceinline__ unsigned int order_key(float v) {
    unsigned int b = __float_as_uint(v);
    return (b & 0x80000000u) ? ~b : (b | 0x80000000u);
}

extern "C" __global__ void __launch_bounds__(TOPK_THREADS)
topk_rows(const float* logits, const float* lse, float* outVals, int* outIds, int rows, int vocab, int k) {
    __shared__ unsigned int hist[256];
    __shared__ unsigned int cand_key[TOPK_MAX];
    __shared__ int cand_id[TOPK_MAX];
    __shared__ unsigned int sel_prefix, sel_remaining, n_greater, warp_counts[TOPK_THREADS / 32];
    int r = blockIdx.x;
    if (r >= rows || k <= 0) return;
    if (k > TOPK_MAX) k = TOPK_MAX;
    if (k > vocab) k = vocab;
    const float* x = logits + (long long) r * vocab;
    const float c = lse[r];
    const int tid = threadIdx.x;

    unsigned int prefix = 0, mask = 0, remaining = (unsigned int) k;
    for (int shift = 24; shift >= 0; shift -= 8) {
        for (int b = tid; b < 256; b += blockDim.x) hist[b] = 0;
        __syncthreads();
        for (int i = tid; i < vocab; i += blockDim.x) {
            unsigned int key = order_key(x[i] - c);
            if ((key & mask) == prefix) atomicAdd(&hist[(key >> shift) & 255u], 1u);
        }
        __syncthreads();
        if (tid == 0) {
            unsigned int cum = 0;
            int b = 255;
            for (; b > 0; --b) {
                if (cum + hist[b] >= remaining) break;
                cum += hist[b];
            }
            sel_prefix = prefix | ((unsigned int) b << shift);
            sel_remaining = remaining - cum;
        }
        __syncthreads();
        prefix = sel_prefix;
        remaining = sel_remaining;
        mask |= 255u << shift;
        __syncthreads();
    }
    const unsigned int T = prefix;  // the k-th largest key; `remaining` keys equal to T are needed

    if (tid == 0) n_greater = 0;
    __syncthreads();
    for (int i = tid; i < vocab; i += blockDim.x) {
        unsigned int key = order_key(x[i] - c);
        if (key > T) {
            unsigned int slot = atomicAdd(&n_greater, 1u);
            cand_key[slot] = key;
            cand_id[slot] = i;
        }
    }
    __syncthreads();
    const unsigned int greater = n_greater;  // == k - remaining
    // keys equal to T, lowest ids first: chunks of blockDim in id order, block-wide exclusive scan of flags
    unsigned int taken = 0;
    const int lane = tid & 31, warp = tid >> 5, nw = blockDim.x >> 5;
    for (int base = 0; base < vocab && taken < remaining; base += blockDim.x) {
        int i = base + tid;
        bool eq = i < vocab && order_key(x[i] - c) == T;
        unsigned int ballot = __ballot_sync(0xffffffffu, eq);
        if (lane == 0) warp_counts[warp] = __popc(ballot);
        __syncthreads();
        unsigned int before = 0, total = 0;
        for (int w = 0; w < nw; ++w) {
            if (w < warp) before += warp_counts[w];
            total += warp_counts[w];
        }
        before += __popc(ballot & ((1u << lane) - 1u));
        if (eq && taken + before < remaining) {
            cand_key[greater + taken + before] = T;
            cand_id[greater + taken + before] = i;
        }
        taken += total;
        __syncthreads();
    }
    __syncthreads();
    if (tid < k) {
        unsigned int key = cand_key[tid];
        int id = cand_id[tid];
        int rank = 0;
        for (int j = 0; j < k; ++j) {
            unsigned int kj = cand_key[j];
            if (kj > key || (kj == key && cand_id[j] < id)) ++rank;
        }
        outIds[(long long) r * k + rank] = id;
        outVals[(long long) r * k + rank] = x[id] - c;
    }
}
