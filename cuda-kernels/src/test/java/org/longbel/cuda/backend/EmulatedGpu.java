package org.longbel.cuda.backend;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.longbel.cuda.CudaException;
import org.longbel.cuda.blas.Gemm;
import org.longbel.cuda.kernels.Launch;

/**
 * A {@link Gpu} on host memory for tests: "device" addresses are host addresses of native memory, every launch runs
 * a plain Java rendering of its kernel's contract (as documented in {@code longbel_kernels.cu} and {@code Launches}),
 * and GEMMs are float32 dot products. It checks the {@link CudaBackend}'s orchestration (which kernel, which
 * buffers, offsets, layouts, precision routing, what is copied back) without a GPU; it says nothing about the CUDA
 * kernels themselves. Memory is bounded by {@code capacity} to test out-of-memory handling.
 */
final class EmulatedGpu implements Gpu {

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfShort H = ValueLayout.JAVA_SHORT;
    /** All of memory, for reading single values at raw addresses. */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private final long capacity;
    private final DeviceMemoryLedger ledger = new DeviceMemoryLedger();
    private final Map<Long, Arena> arenas = new HashMap<>();
    /** Every kernel launched, in order (tests look at what ran). */
    final List<String> launched = new ArrayList<>();
    int gemms;
    boolean closed;

    EmulatedGpu(long capacity) {
        this.capacity = capacity;
    }

    @Override
    public String describe() { return "emulated GPU (host memory, " + capacity + " bytes)"; }

    @Override
    public DeviceMemoryLedger ledger() { return ledger; }

    @Override
    public long[] memoryInfo() { return new long[] {capacity - ledger.total(), capacity}; }

    @Override
    public DeviceMemory allocate(String purpose, long bytes) {
        if (ledger.total() + bytes > capacity) throw new CudaException(ledger.outOfMemory(purpose, bytes, capacity - ledger.total(), capacity));
        Arena arena = Arena.ofShared();
        MemorySegment m = arena.allocate(Math.max(bytes, 1), 256);
        arenas.put(m.address(), arena);
        ledger.allocated(purpose, bytes);
        return new DeviceMemory(m.address(), bytes, purpose);
    }

    @Override
    public void free(DeviceMemory memory) {
        Arena arena = arenas.remove(memory.address());
        if (arena == null) throw new IllegalStateException("double free of 0x" + Long.toHexString(memory.address()));
        arena.close();
        ledger.freed(memory.purpose(), memory.bytes());
    }

    private static MemorySegment at(long address, long bytes) {
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }

    @Override
    public void upload(MemorySegment src, long dst, long bytes) {
        MemorySegment.copy(src, 0, at(dst, bytes), 0, bytes);
    }

    @Override
    public void download(long src, MemorySegment dst, long bytes) {
        MemorySegment.copy(at(src, bytes), 0, dst, 0, bytes);
    }

    @Override
    public void copy(long src, long dst, long bytes) {
        MemorySegment.copy(at(src, bytes), 0, at(dst, bytes), 0, bytes);
    }

    @Override
    public void gemm(Gemm.Operands ops, long w, long x, long out, int rows, int in, int outDim) {
        gemms++;
        float[] xs = operand(ops, x, (long) rows * in), ws = operand(ops, w, (long) outDim * in);
        float[] o = new float[rows * outDim];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < outDim; c++) {
                float acc = 0;
                for (int i = 0; i < in; i++) acc += xs[r * in + i] * ws[c * in + i];
                o[r * outDim + c] = acc;
            }
        }
        MemorySegment.copy(o, 0, at(out, 4L * o.length), F, 0, o.length);
    }

    /** {@code n} operands at {@code base} as floats (BF16 widened). */
    private static float[] operand(Gemm.Operands ops, long base, long n) {
        float[] v = new float[Math.toIntExact(n)];
        if (ops == Gemm.Operands.F32) {
            MemorySegment.copy(at(base, 4 * n), F, 0, v, 0, v.length);
        } else {
            MemorySegment h = at(base, 2 * n);
            for (int i = 0; i < v.length; i++) v[i] = widen(h.getAtIndex(H, i));
        }
        return v;
    }

    private static float widen(short h) { return Float.intBitsToFloat((h & 0xffff) << 16); }

    private static short round(float f) {
        int b = Float.floatToRawIntBits(f);
        if ((b & 0x7fffffff) > 0x7f800000) return (short) ((b >>> 16) | 0x40);
        return (short) ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16);
    }

    @Override
    public void launch(Launch launch) {
        launched.add(launch.kernel());
        if (launch.gridX() == 0) return;
        List<Launch.Arg> a = launch.args();
        switch (launch.kernel()) {
            case "embed_bf16" -> { // table, ids, out, rows, dim
                int rows = i(a, 3), dim = i(a, 4);
                for (int r = 0; r < rows; r++) {
                    int id = ints(a, 1, rows).getAtIndex(I, r);
                    for (int d = 0; d < dim; d++) {
                        floats(a, 2, rows * dim).setAtIndex(F, (long) r * dim + d, widen(ALL.get(H, p(a, 0) + 2 * ((long) id * dim + d))));
                    }
                }
            }
            case "rms_norm", "rms_norm_f32w" -> { // x, weight, out, rows, dim, eps
                int rows = i(a, 3), dim = i(a, 4);
                float eps = f(a, 5);
                boolean bf16 = launch.kernel().equals("rms_norm");
                MemorySegment x = floats(a, 0, rows * dim), out = floats(a, 2, rows * dim);
                for (int r = 0; r < rows; r++) {
                    float ss = 0;
                    for (int d = 0; d < dim; d++) ss += x.getAtIndex(F, (long) r * dim + d) * x.getAtIndex(F, (long) r * dim + d);
                    float inv = (float) (1 / Math.sqrt(ss / dim + eps));
                    for (int d = 0; d < dim; d++) {
                        float w = bf16 ? widen(at(p(a, 1), 2L * dim).getAtIndex(H, d)) : at(p(a, 1), 4L * dim).getAtIndex(F, d);
                        out.setAtIndex(F, (long) r * dim + d, x.getAtIndex(F, (long) r * dim + d) * inv * w);
                    }
                }
            }
            case "rope" -> { // x, cos, sin, rows, heads, headDim
                int rows = i(a, 3), heads = i(a, 4), headDim = i(a, 5), half = headDim / 2;
                MemorySegment x = floats(a, 0, rows * heads * headDim), cos = floats(a, 1, rows * half), sin = floats(a, 2, rows * half);
                for (int r = 0; r < rows; r++) {
                    for (int h = 0; h < heads; h++) {
                        long base = ((long) r * heads + h) * headDim;
                        for (int k = 0; k < half; k++) {
                            float x0 = x.getAtIndex(F, base + k), x1 = x.getAtIndex(F, base + half + k);
                            float c = cos.getAtIndex(F, (long) r * half + k), s = sin.getAtIndex(F, (long) r * half + k);
                            x.setAtIndex(F, base + k, x0 * c - x1 * s);
                            x.setAtIndex(F, base + half + k, x1 * c + x0 * s);
                        }
                    }
                }
            }
            case "write_kv" -> { // k, v, pool, rowBlock, rowSlot, rows, kvDim, blockSize, layer, blockFloats
                int rows = i(a, 5), kvDim = i(a, 6), blockSize = i(a, 7), layer = i(a, 8);
                long blockFloats = l(a, 9);
                for (int r = 0; r < rows; r++) {
                    long block = ints(a, 3, rows).getAtIndex(I, r), slot = ints(a, 4, rows).getAtIndex(I, r);
                    long key = block * blockFloats + ((2L * layer) * blockSize + slot) * kvDim;
                    long value = block * blockFloats + ((2L * layer + 1) * blockSize + slot) * kvDim;
                    MemorySegment.copy(floats(a, 0, rows * kvDim), 4L * r * kvDim, at(p(a, 2) + 4 * key, 4L * kvDim), 0, 4L * kvDim);
                    MemorySegment.copy(floats(a, 1, rows * kvDim), 4L * r * kvDim, at(p(a, 2) + 4 * value, 4L * kvDim), 0, 4L * kvDim);
                }
            }
            case "attention" -> attention(a);
            case "silu_mul" -> { // gate, up, n
                long n = l(a, 2);
                MemorySegment g = floats(a, 0, n), u = floats(a, 1, n);
                for (long k = 0; k < n; k++) {
                    float x = g.getAtIndex(F, k);
                    g.setAtIndex(F, k, (float) (x / (1 + Math.exp(-x))) * u.getAtIndex(F, k));
                }
            }
            case "add_inplace" -> { // x, y, n
                long n = l(a, 2);
                MemorySegment x = floats(a, 0, n), y = floats(a, 1, n);
                for (long k = 0; k < n; k++) x.setAtIndex(F, k, x.getAtIndex(F, k) + y.getAtIndex(F, k));
            }
            case "f32_to_bf16" -> { // x, out, n
                long n = l(a, 2);
                for (long k = 0; k < n; k++) at(p(a, 1), 2 * n).setAtIndex(H, k, round(floats(a, 0, n).getAtIndex(F, k)));
            }
            case "bf16_to_f32" -> {
                long n = l(a, 2);
                for (long k = 0; k < n; k++) floats(a, 1, n).setAtIndex(F, k, widen(at(p(a, 0), 2 * n).getAtIndex(H, k)));
            }
            case "gather_rows" -> { // x, rowIds, out, n, dim
                int n = i(a, 3), dim = i(a, 4);
                for (int r = 0; r < n; r++) {
                    long src = ints(a, 1, n).getAtIndex(I, r);
                    MemorySegment.copy(at(p(a, 0) + 4 * src * dim, 4L * dim), 0, at(p(a, 2) + 4L * r * dim, 4L * dim), 0, 4L * dim);
                }
            }
            case "row_normalizers" -> { // logits, rowIds, out, n, vocab
                int n = i(a, 3), vocab = i(a, 4);
                for (int k = 0; k < n; k++) {
                    MemorySegment row = at(p(a, 0) + 4L * ints(a, 1, n).getAtIndex(I, k) * vocab, 4L * vocab);
                    float max = Float.NEGATIVE_INFINITY;
                    for (int t = 0; t < vocab; t++) max = Math.max(max, row.getAtIndex(F, t));
                    double sum = 0;
                    for (int t = 0; t < vocab; t++) sum += Math.exp(row.getAtIndex(F, t) - max);
                    floats(a, 2, 2 * n).setAtIndex(F, 2L * k, max);
                    floats(a, 2, 2 * n).setAtIndex(F, 2L * k + 1, (float) Math.log(sum));
                }
            }
            case "gather_logits" -> { // logits, rowOf, tokens, out, n, vocab
                int n = i(a, 4), vocab = i(a, 5);
                for (int k = 0; k < n; k++) {
                    long index = (long) ints(a, 1, n).getAtIndex(I, k) * vocab + ints(a, 2, n).getAtIndex(I, k);
                    floats(a, 3, n).setAtIndex(F, k, ALL.get(F, p(a, 0) + 4 * index));
                }
            }
            default -> throw new UnsupportedOperationException("the emulated GPU has no " + launch.kernel());
        }
    }

    /** q, pool, tables, rowTableStart, positions, out, rows, heads, kvHeads, headDim, blockSize, layer, blockFloats, scale. */
    private static void attention(List<Launch.Arg> a) {
        int rows = i(a, 6), heads = i(a, 7), kvHeads = i(a, 8), headDim = i(a, 9), blockSize = i(a, 10), layer = i(a, 11);
        long blockFloats = l(a, 12);
        float scale = f(a, 13);
        int kvDim = kvHeads * headDim, group = heads / kvHeads;
        MemorySegment q = floats(a, 0, (long) rows * heads * headDim), out = floats(a, 5, (long) rows * heads * headDim);
        for (int r = 0; r < rows; r++) {
            int pos = ints(a, 4, rows).getAtIndex(I, r), table = ints(a, 3, rows).getAtIndex(I, r);
            for (int h = 0; h < heads; h++) {
                int kvh = h / group;
                float[] scores = new float[pos + 1];
                float max = Float.NEGATIVE_INFINITY;
                for (int p = 0; p <= pos; p++) {
                    long block = ALL.get(I, p(a, 2) + 4L * (table + p / blockSize));
                    long key = block * blockFloats + ((2L * layer) * blockSize + p % blockSize) * kvDim + (long) kvh * headDim;
                    float dot = 0;
                    for (int d = 0; d < headDim; d++) {
                        dot += q.getAtIndex(F, ((long) r * heads + h) * headDim + d) * ALL.get(F, p(a, 1) + 4 * (key + d));
                    }
                    scores[p] = dot * scale;
                    max = Math.max(max, scores[p]);
                }
                double sum = 0;
                for (int p = 0; p <= pos; p++) sum += Math.exp(scores[p] - max);
                for (int d = 0; d < headDim; d++) {
                    double acc = 0;
                    for (int p = 0; p <= pos; p++) {
                        long block = ALL.get(I, p(a, 2) + 4L * (table + p / blockSize));
                        long value = block * blockFloats + ((2L * layer + 1) * blockSize + p % blockSize) * kvDim + (long) kvh * headDim;
                        acc += Math.exp(scores[p] - max) / sum * ALL.get(F, p(a, 1) + 4 * (value + d));
                    }
                    out.setAtIndex(F, ((long) r * heads + h) * headDim + d, (float) acc);
                }
            }
        }
    }

    private static long p(List<Launch.Arg> a, int k) { return ((Launch.Ptr) a.get(k)).address(); }
    private static int i(List<Launch.Arg> a, int k) { return ((Launch.I32) a.get(k)).value(); }
    private static long l(List<Launch.Arg> a, int k) { return ((Launch.I64) a.get(k)).value(); }
    private static float f(List<Launch.Arg> a, int k) { return ((Launch.F32) a.get(k)).value(); }
    private static MemorySegment floats(List<Launch.Arg> a, int k, long n) { return at(p(a, k), 4 * n); }
    private static MemorySegment ints(List<Launch.Arg> a, int k, long n) { return at(p(a, k), 4 * n); }

    @Override
    public void bind() {
    }

    @Override
    public void synchronize() {
    }

    @Override
    public void close() {
        closed = true;
    }
}
