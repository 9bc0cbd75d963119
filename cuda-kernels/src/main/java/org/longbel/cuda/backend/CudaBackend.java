package org.longbel.cuda.backend;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import org.longbel.core.DType;
import org.longbel.core.LogSoftmax;
import org.longbel.core.LogitRow;
import org.longbel.core.Tensor;
import org.longbel.core.backend.ActivationBuffer;
import org.longbel.core.backend.Backend;
import org.longbel.core.backend.BackendRequest;
import org.longbel.core.backend.Precision;
import org.longbel.core.backend.RopeAngles;
import org.longbel.core.backend.Weight;
import org.longbel.core.kv.KvBatch;
import org.longbel.core.kv.KvLayout;
import org.longbel.core.kv.KvStorage;
import org.longbel.cuda.blas.Gemm;
import org.longbel.cuda.kernels.Launches;

/**
 * The {@link Backend} on one NVIDIA GPU, written against {@link Gpu} (JCuda, cuBLAS and the project's kernels in
 * {@link JCudaGpu}). Everything is queued on one stream; the host waits only when results come back.
 *
 * <p>Weights are uploaded once ({@link #weight}); BF16 stays BF16 on the device. A matrix product takes its
 * operands in the requested {@link Precision}: fp32 widens a BF16 weight into a scratch buffer first, bf16 rounds
 * the activations into one; accumulation is float32 either way (no TF32). The KV cache is one device pool per cache
 * ({@link CudaKvStorage}). The small per-forward arrays (token ids, positions, block tables, rotary angles) are
 * uploaded once per forward and reused by every layer. Forwards run one at a time. Buffers go back to the
 * {@link BufferPool} as soon as their last operation is queued: every operation is on the one stream, so a reused
 * buffer is written only after the operations queued before on its old contents ran.
 */
public final class CudaBackend implements Backend {

    private static final String SCRATCH = "scratch";
    /** Bytes of weights copied per piece on upload. */
    private static final long UPLOAD_PIECE = 64L << 20;

    private final Gpu gpu;
    private final Precision precision;
    private final BufferPool buffers;
    private final Map<Tensor, CudaWeight> weights = new IdentityHashMap<>();
    private Gpu.DeviceMemory scratch;
    /** The per-forward arrays uploaded last, and what they were uploaded from. */
    private KvBatch uploadedBatch;
    private CudaBuffer rowBlocks, rowSlots, tables, rowTables, positions;
    private RopeAngles uploadedAngles;
    private CudaBuffer cos, sin;
    private boolean closed;

    CudaBackend(Gpu gpu, Precision precision) {
        this.gpu = gpu;
        this.precision = precision;
        this.buffers = new BufferPool(gpu);
    }

    /** Opens GPU 0 for {@code request} (its precision; CPU threads are not used by this backend). */
    public static CudaBackend open(BackendRequest request) {
        return new CudaBackend(JCudaGpu.open(0), request.precision());
    }

    @Override
    public String description() {
        return gpu.describe() + ", precision " + precision;
    }

    @Override
    public boolean concurrentForwards() { return false; }

    /** 70% of the device memory free now (the weights are uploaded by then), leaving room for activations. */
    @Override
    public long suggestedKvCacheBytes() {
        return gpu.memoryInfo()[0] / 10 * 7;
    }

    @Override
    public ActivationBuffer allocate(int floats) {
        return buffers.take(floats);
    }

    private static long ptr(ActivationBuffer b) {
        if (b instanceof CudaBuffer c) return c.memory().address();
        throw new IllegalArgumentException("the CUDA backend cannot use a buffer of another backend: " + b.getClass().getName());
    }

    private static CudaWeight device(Weight w) {
        if (w instanceof CudaWeight c) return c;
        throw new IllegalArgumentException("the CUDA backend cannot use a weight of another backend: " + w.getClass().getName());
    }

    private static CudaKvStorage device(KvStorage kv) {
        if (kv instanceof CudaKvStorage c) return c;
        throw new IllegalArgumentException("the CUDA backend cannot use a KV storage of another backend: " + kv.getClass().getName()
                + "; make the cache with this model's newCache()");
    }

    @Override
    public void upload(float[] src, int n, ActivationBuffer dst) {
        gpu.upload(MemorySegment.ofArray(src), ptr(dst), 4L * n);
    }

    @Override
    public void download(ActivationBuffer src, long offset, int n, float[] dst) {
        gpu.download(ptr(src) + 4 * offset, MemorySegment.ofArray(dst), 4L * n);
    }

    @Override
    public synchronized Weight weight(Tensor tensor) {
        CudaWeight w = weights.get(tensor);
        if (w == null) {
            w = upload(tensor);
            weights.put(tensor, w);
        }
        return w;
    }

    /** Copies a checkpoint tensor to the device: BF16 and F32 as they are, F16 widened to F32 a piece at a time. */
    private CudaWeight upload(Tensor t) {
        boolean bf16 = t.dtype() == DType.BF16;
        long bytes = t.elementCount() * (bf16 ? 2 : 4);
        Gpu.DeviceMemory memory = gpu.allocate(CudaWeight.PURPOSE, bytes);
        for (long at = 0; at < bytes; at += UPLOAD_PIECE) {
            long n = Math.min(UPLOAD_PIECE, bytes - at);
            // F16: bytes [at, at + n) of the F32 copy are elements [at / 4, (at + n) / 4) of the F16 data
            MemorySegment src = t.dtype() == DType.F16 ? widenF16(t.data(), at / 4, n / 4) : t.data().asSlice(at, n);
            gpu.upload(src, memory.at(at), n);
        }
        return new CudaWeight(t, memory, bf16);
    }

    private static MemorySegment widenF16(MemorySegment data, long first, long count) {
        float[] out = new float[(int) count];
        ValueLayout.OfShort f16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) out[i] = Float.float16ToFloat(data.get(f16, 2 * (first + i)));
        return MemorySegment.ofArray(out);
    }

    @Override
    public KvStorage newKvStorage(KvLayout layout, int capacity) {
        return new CudaKvStorage(gpu, layout, capacity);
    }

    /** A buffer holding {@code values}. */
    private CudaBuffer ints(int[] values) {
        return copyOf(MemorySegment.ofArray(values), values.length);
    }

    private CudaBuffer floats(float[] values) {
        return copyOf(MemorySegment.ofArray(values), values.length);
    }

    /** A buffer holding the {@code count} 4-byte values of {@code values}. */
    private CudaBuffer copyOf(MemorySegment values, int count) {
        CudaBuffer b = buffers.take(Math.max(count, 1));
        gpu.upload(values, b.memory().address(), 4L * count);
        return b;
    }

    @Override
    public void embed(Weight tableWeight, int[] ids, ActivationBuffer out) {
        CudaWeight table = device(tableWeight);
        for (int id : ids) {
            if (id < 0 || id >= table.rows()) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + table.rows() + ")");
            }
        }
        try (CudaBuffer idBuffer = ints(ids)) {
            long t = table.memory().address(), i = idBuffer.memory().address();
            gpu.launch(table.bf16() ? Launches.embedBf16(t, i, ptr(out), ids.length, table.cols())
                    : Launches.gatherRows(t, i, ptr(out), ids.length, table.cols()));
        }
    }

    @Override
    public void rmsNorm(ActivationBuffer x, int rows, Weight weight, float eps, ActivationBuffer out) {
        CudaWeight w = device(weight);
        long wp = w.memory().address();
        gpu.launch(w.bf16() ? Launches.rmsNorm(ptr(x), wp, ptr(out), rows, w.rows(), eps)
                : Launches.rmsNormF32Weight(ptr(x), wp, ptr(out), rows, w.rows(), eps));
    }

    @Override
    public void matmul(ActivationBuffer x, int rows, Weight weight, ActivationBuffer out) {
        product(ptr(x), rows, device(weight), ptr(out));
    }

    /** {@code out = x · wᵀ} with both operands in the requested precision, float32 out. */
    private void product(long x, int rows, CudaWeight w, long out) {
        if (rows == 0) return;
        long weightElements = w.elements(), xElements = (long) rows * w.cols();
        if (precision == Precision.BF16) {
            long wBytes = w.bf16() ? 0 : 2 * weightElements;  // an F32 weight is rounded into the scratch first
            Gpu.DeviceMemory s = scratch(wBytes + 2 * xElements);
            if (!w.bf16()) gpu.launch(Launches.f32ToBf16(w.memory().address(), s.address(), weightElements));
            gpu.launch(Launches.f32ToBf16(x, s.at(wBytes), xElements));
            long wAddress = w.bf16() ? w.memory().address() : s.address();
            gpu.gemm(Gemm.Operands.BF16, wAddress, s.at(wBytes), out, rows, w.cols(), w.rows());
        } else if (w.bf16()) {
            Gpu.DeviceMemory s = scratch(4 * weightElements);
            gpu.launch(Launches.bf16ToF32(w.memory().address(), s.address(), weightElements));
            gpu.gemm(Gemm.Operands.F32, s.address(), x, out, rows, w.cols(), w.rows());
        } else {
            gpu.gemm(Gemm.Operands.F32, w.memory().address(), x, out, rows, w.cols(), w.rows());
        }
    }

    /** A scratch area of at least {@code bytes}, grown (and the old one freed after the stream drained) as needed. */
    private Gpu.DeviceMemory scratch(long bytes) {
        if (scratch == null || scratch.bytes() < bytes) {
            if (scratch != null) {
                gpu.synchronize();
                gpu.free(scratch);
                scratch = null;
            }
            scratch = gpu.allocate(SCRATCH, BufferPool.sizeClass(bytes));
        }
        return scratch;
    }

    @Override
    public void rope(ActivationBuffer x, int rows, int heads, int headDim, RopeAngles angles) {
        if (angles.half() != headDim / 2) throw new IllegalArgumentException(angles.half() + " frequencies for head_dim " + headDim);
        if (angles != uploadedAngles) {
            if (cos != null) {
                cos.close();
                sin.close();
            }
            cos = floats(angles.cos());
            sin = floats(angles.sin());
            uploadedAngles = angles;
        }
        gpu.launch(Launches.rope(ptr(x), cos.memory().address(), sin.memory().address(), rows, heads, headDim));
    }

    /** Uploads the block tables of {@code batch} unless they are those of the last call (every layer shares them). */
    private void useBatch(KvBatch batch) {
        if (batch == uploadedBatch) return;
        releaseBatch();
        int n = batch.rows(), blockSize = batch.layout().blockSize();
        int[] block = new int[n], slot = new int[n];
        for (int r = 0; r < n; r++) {
            int p = batch.positions()[r];
            block[r] = batch.block(r, p);
            slot[r] = p % blockSize;
        }
        rowBlocks = ints(block);
        rowSlots = ints(slot);
        tables = ints(batch.slots());
        rowTables = ints(batch.rowTable());
        positions = ints(batch.positions());
        uploadedBatch = batch;
    }

    private void releaseBatch() {
        for (CudaBuffer b : new CudaBuffer[] {rowBlocks, rowSlots, tables, rowTables, positions}) if (b != null) b.close();
        rowBlocks = rowSlots = tables = rowTables = positions = null;
        uploadedBatch = null;
    }

    @Override
    public void writeKv(KvStorage kv, KvBatch batch, int layer, ActivationBuffer k, ActivationBuffer v) {
        CudaKvStorage storage = device(kv);
        useBatch(batch);
        KvLayout l = storage.layout();
        gpu.launch(Launches.writeKv(ptr(k), ptr(v), storage.pool().address(), rowBlocks.memory().address(),
                rowSlots.memory().address(), batch.rows(), l.kvDim(), l.blockSize(), layer, l.blockFloats()));
    }

    @Override
    public void attention(ActivationBuffer q, KvStorage kv, KvBatch batch, int layer, int heads, int kvHeads, int headDim,
                          ActivationBuffer out) {
        if (heads % kvHeads != 0) throw new IllegalArgumentException(heads + " heads is not a multiple of " + kvHeads + " kv heads");
        CudaKvStorage storage = device(kv);
        useBatch(batch);
        KvLayout l = storage.layout();
        float scale = (float) (1.0 / Math.sqrt(headDim));
        gpu.launch(Launches.attention(ptr(q), storage.pool().address(), tables.memory().address(), rowTables.memory().address(),
                positions.memory().address(), ptr(out), batch.rows(), heads, kvHeads, headDim, l.blockSize(), layer,
                l.blockFloats(), scale));
    }

    @Override
    public void siluMul(ActivationBuffer gate, ActivationBuffer up, int n) {
        gpu.launch(Launches.siluMul(ptr(gate), ptr(up), n));
    }

    @Override
    public void add(ActivationBuffer x, ActivationBuffer y, int n) {
        gpu.launch(Launches.addInplace(ptr(x), ptr(y), n));
    }

    @Override
    public void logits(ActivationBuffer x, int[] rows, Weight lmHead, ActivationBuffer out) {
        CudaWeight w = device(lmHead);
        if (rows.length == 0) return;
        try (CudaBuffer rowIds = ints(rows); CudaBuffer selected = buffers.take(rows.length * w.cols())) {
            gpu.launch(Launches.gatherRows(ptr(x), rowIds.memory().address(), selected.memory().address(), rows.length, w.cols()));
            product(selected.memory().address(), rows.length, w, ptr(out));
        }
    }

    /**
     * Whole rows are gathered into one buffer and copied back at once; for selected rows only the normalisers (max,
     * log-sum) and the requested logits are computed on the device ({@code row_normalizers}, {@code gather_logits}) and
     * copied back: a few numbers per beam instead of the vocabulary.
     */
    @Override
    public LogitRow[] readLogits(ActivationBuffer logits, int rows, int vocab, int[][] select) {
        LogitRow[] out = new LogitRow[rows];
        int dense = 0, selected = 0, ids = 0;
        for (int[] s : select) {
            if (s == null) dense++;
            else {
                selected++;
                ids += s.length;
            }
        }
        int[] denseRows = new int[dense], selectedRows = new int[selected], rowOf = new int[ids], tokens = new int[ids];
        for (int r = 0, d = 0, k = 0, i = 0; r < rows; r++) {
            if (select[r] == null) {
                denseRows[d++] = r;
                continue;
            }
            for (int id : select[r]) {
                rowOf[i] = r;
                tokens[i++] = id;
            }
            selectedRows[k++] = r;
        }
        if (dense > 0) {
            float[] values = new float[dense * vocab];
            try (CudaBuffer idx = ints(denseRows); CudaBuffer rowsOut = buffers.take(dense * vocab)) {
                gpu.launch(Launches.gatherRows(ptr(logits), idx.memory().address(), rowsOut.memory().address(), dense, vocab));
                gpu.download(rowsOut.memory().address(), MemorySegment.ofArray(values), 4L * values.length);
            }
            for (int d = 0; d < dense; d++) out[denseRows[d]] = LogitRow.dense(Arrays.copyOfRange(values, d * vocab, (d + 1) * vocab));
        }
        if (selected > 0) {
            float[] values = new float[2 * selected + ids];   // normalisers (max, log-sum) of each row, then the logits
            try (CudaBuffer idx = ints(selectedRows); CudaBuffer rowIds = ints(rowOf); CudaBuffer tokenIds = ints(tokens);
                 CudaBuffer result = buffers.take(values.length)) {
                long r = result.memory().address();
                gpu.launch(Launches.rowNormalizers(ptr(logits), idx.memory().address(), r, selected, vocab));
                gpu.launch(Launches.gatherLogits(ptr(logits), rowIds.memory().address(), tokenIds.memory().address(),
                        r + 8L * selected, ids, vocab));
                gpu.download(r, MemorySegment.ofArray(values), 4L * values.length);
            }
            for (int k = 0, i = 2 * selected; k < selected; k++) {
                int[] want = select[selectedRows[k]];
                out[selectedRows[k]] = new LogitRow(null, new LogSoftmax.Normalizer(values[2 * k], values[2 * k + 1]), want,
                        Arrays.copyOfRange(values, i, i + want.length));
                i += want.length;
            }
        }
        return out;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        gpu.synchronize();
        releaseBatch();
        if (cos != null) {
            cos.close();
            sin.close();
        }
        for (CudaWeight w : weights.values()) gpu.free(w.memory());
        weights.clear();
        if (scratch != null) gpu.free(scratch);
        buffers.close();
        gpu.close();
    }
}
