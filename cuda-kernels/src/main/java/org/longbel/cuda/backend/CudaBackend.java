package org.longbel.cuda.backend;

import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import jcuda.Pointer;
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
import org.longbel.cuda.CudaException;
import org.longbel.cuda.blas.Gemm;
import org.longbel.cuda.blas.GemmSearch;
import org.longbel.cuda.blas.Gemms;
import org.longbel.cuda.kernels.KernelModule;
import org.longbel.cuda.kernels.Kernels;

/**
 * The {@link Backend} on one NVIDIA GPU: JCuda's driver API for the context, the stream and memory; cuBLAS for the
 * matrix products ({@link Gemms}: JCublas or an FFM binding, named in {@link #description()}); the project's own
 * kernels ({@link Kernels}) for everything else. Everything is queued on one stream; the host waits only when
 * results come back ({@link #download}).
 *
 * <p>Weights are uploaded once ({@link #weight}); BF16 stays BF16 on the device. A matrix product takes its
 * operands in the requested {@link Precision}: fp32 widens a BF16 weight into a scratch buffer first, bf16 rounds
 * the activations into one; accumulation is float32 either way (no TF32). The KV cache is one device pool per cache
 * ({@link CudaKvStorage}). The small per-forward arrays (token ids, positions, block tables, rotary angles) are
 * uploaded once per forward and reused by every layer. Forwards run one at a time.
 *
 * <p>Buffers go back to the {@link BufferPool} as soon as their last operation is queued: every operation is on the
 * one stream, so a reused buffer is written only after the operations queued before on its old contents ran.
 */
public final class CudaBackend implements Backend {

    private static final String SCRATCH = "scratch";
    /** Bytes of weights copied per piece on upload. */
    private static final long UPLOAD_PIECE = 64L << 20;

    private final CudaContext cuda;
    private final Precision precision;
    private final KernelModule module;
    private final Kernels kernels;
    private final Gemm gemm;
    private final BufferPool buffers;
    private final PinnedStaging staging;
    private final Map<Tensor, CudaWeight> weights = new IdentityHashMap<>();
    private CudaContext.DevicePointer scratch;
    /** Pinned host memory the weights go through on upload (made at the first upload, freed on close). */
    private Pointer uploadBuffer;
    /** The per-forward arrays uploaded last, and what they were uploaded from. */
    private KvBatch uploadedBatch;
    private CudaBuffer rowBlocks, rowSlots, tables, rowTables, positions;
    private RopeAngles uploadedAngles;
    private CudaBuffer cos, sin;
    private boolean closed;

    private CudaBackend(CudaContext cuda, Precision precision) {
        this.cuda = cuda;
        this.precision = precision;
        KernelModule m = null;
        Gemm g = null;
        BufferPool b = null;
        PinnedStaging s = null;
        try {
            m = KernelModule.load();
            g = Gemms.open(cuda.streamAddress(), GemmSearch.defaults());
            b = new BufferPool(cuda);
            s = new PinnedStaging(cuda, 64L << 20);
        } catch (RuntimeException | Error e) {
            if (s != null) s.close();
            if (b != null) b.close();
            if (g != null) g.close();
            if (m != null) m.close();
            cuda.close();
            throw e;
        }
        this.module = m;
        this.kernels = new Kernels(m);
        this.gemm = g;
        this.buffers = b;
        this.staging = s;
    }

    /** Opens GPU 0 for {@code request} (its precision; CPU threads are not used by this backend). */
    public static CudaBackend open(BackendRequest request) {
        return new CudaBackend(CudaContext.open(0), request.precision());
    }

    @Override
    public String description() {
        long[] mem = cuda.memoryInfo();
        return String.format(Locale.ROOT, "CUDA %s (compute %d.%d, %.0f GB), driver %d.%d, %s, kernels: %s, precision %s",
                cuda.deviceName(), cuda.computeCapability() / 10, cuda.computeCapability() % 10, mem[1] / 1e9,
                cuda.driverVersion() / 1000, cuda.driverVersion() % 1000 / 10, gemm.description(), module.description(), precision);
    }

    @Override
    public boolean concurrentForwards() { return false; }

    /** 70% of the device memory free now (the weights are uploaded by then), leaving room for activations. */
    @Override
    public long suggestedKvCacheBytes() {
        return cuda.memoryInfo()[0] / 10 * 7;
    }

    /** Bytes of device memory this backend holds, by purpose. */
    public String memorySummary() { return cuda.ledger().summary(); }

    @Override
    public ActivationBuffer allocate(int floats) {
        return buffers.take(floats);
    }

    private static CudaBuffer device(ActivationBuffer b) {
        if (b instanceof CudaBuffer c) return c;
        throw new IllegalArgumentException("the CUDA backend cannot use a buffer of another backend: " + b.getClass().getName());
    }

    private static CudaContext.DevicePointer ptr(ActivationBuffer b) {
        return device(b).memory();
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
        cuda.bind();
        staging.upload(src, n, ptr(dst));
    }

    @Override
    public void download(ActivationBuffer src, long offset, int n, float[] dst) {
        cuda.bind();
        CudaContext.DevicePointer p = ptr(src);
        staging.download(at -> p.at(4 * offset + at), n, dst);
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

    /**
     * Copies a checkpoint tensor to the device (BF16/F32 as is, F16 widened to F32) through one pinned buffer of
     * {@value #UPLOAD_PIECE} bytes, a piece at a time.
     */
    private CudaWeight upload(Tensor t) {
        cuda.bind();
        boolean bf16 = t.dtype() == DType.BF16;
        long elements = t.elementCount();
        long bytes = elements * (bf16 ? 2 : 4);
        CudaContext.DevicePointer p = cuda.allocate(CudaWeight.PURPOSE, bytes);
        if (uploadBuffer == null) uploadBuffer = cuda.allocateHost(UPLOAD_PIECE);
        MemorySegment pinned = MemorySegment.ofBuffer(uploadBuffer.getByteBuffer(0, UPLOAD_PIECE));
        MemorySegment data = t.data();
        for (long at = 0; at < bytes; at += UPLOAD_PIECE) {
            long n = Math.min(UPLOAD_PIECE, bytes - at);
            // F16 is widened: bytes [at, at + n) of the F32 copy are elements [at / 4, (at + n) / 4) of the F16 data
            MemorySegment src = t.dtype() == DType.F16 ? widenF16(data, at / 4, n / 4) : data.asSlice(at, n);
            MemorySegment.copy(src, 0, pinned, 0, n);
            cuMemcpyHtoDAsync(p.at(at), uploadBuffer, n, cuda.stream());
            cuda.synchronize();                     // the pinned buffer is refilled next
        }
        return new CudaWeight(t, p, bf16);
    }

    private static MemorySegment widenF16(MemorySegment data, long first, long count) {
        float[] out = new float[(int) count];
        ValueLayout.OfShort f16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) out[i] = Float.float16ToFloat(data.get(f16, 2 * (first + i)));
        return MemorySegment.ofArray(out);
    }

    @Override
    public KvStorage newKvStorage(KvLayout layout, int capacity) {
        return new CudaKvStorage(cuda, layout, capacity);
    }

    /** A buffer holding {@code values} (ints, 4 bytes each). */
    private CudaBuffer ints(int[] values) {
        CudaBuffer b = buffers.take(Math.max(values.length, 1));
        staging.upload(values, values.length, b.memory());
        return b;
    }

    private CudaBuffer floats(float[] values) {
        CudaBuffer b = buffers.take(Math.max(values.length, 1));
        staging.upload(values, values.length, b.memory());
        return b;
    }

    @Override
    public void embed(Weight tableWeight, int[] ids, ActivationBuffer out) {
        cuda.bind();
        CudaWeight table = device(tableWeight);
        for (int id : ids) {
            if (id < 0 || id >= table.rows()) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + table.rows() + ")");
            }
        }
        try (CudaBuffer idBuffer = ints(ids)) {
            if (table.bf16()) kernels.embedBf16(cuda.stream(), table.memory(), idBuffer.memory(), ptr(out), ids.length, table.cols());
            else kernels.gatherRows(cuda.stream(), table.memory(), idBuffer.memory(), ptr(out), ids.length, table.cols());
        }
    }

    @Override
    public void rmsNorm(ActivationBuffer x, int rows, Weight weight, float eps, ActivationBuffer out) {
        cuda.bind();
        CudaWeight w = device(weight);
        if (w.bf16()) kernels.rmsNorm(cuda.stream(), ptr(x), w.memory(), ptr(out), rows, w.rows(), eps);
        else kernels.rmsNormF32Weight(cuda.stream(), ptr(x), w.memory(), ptr(out), rows, w.rows(), eps);
    }

    @Override
    public void matmul(ActivationBuffer x, int rows, Weight weight, ActivationBuffer out) {
        cuda.bind();
        CudaWeight w = device(weight);
        product(ptr(x), rows, w, ptr(out));
    }

    /** {@code out = x · wᵀ} with both operands in the requested precision, float32 out. */
    private void product(CudaContext.DevicePointer x, int rows, CudaWeight w, CudaContext.DevicePointer out) {
        if (rows == 0) return;
        long weightElements = w.elements(), xElements = (long) rows * w.cols();
        if (precision == Precision.BF16) {
            long wBytes = w.bf16() ? 0 : 2 * weightElements;  // an F32 weight is rounded into the scratch first
            CudaContext.DevicePointer s = scratch(wBytes + 2 * xElements);
            if (!w.bf16()) kernels.f32ToBf16(cuda.stream(), w.memory(), s, weightElements);
            kernels.f32ToBf16(cuda.stream(), x, s.at(wBytes), xElements);
            long wAddress = w.bf16() ? w.memory().address() : s.address();
            gemm.matmul(Gemm.Operands.BF16, wAddress, s.address() + wBytes, out.address(), rows, w.cols(), w.rows());
        } else if (w.bf16()) {
            CudaContext.DevicePointer s = scratch(4 * weightElements);
            kernels.bf16ToF32(cuda.stream(), w.memory(), s, weightElements);
            gemm.matmul(Gemm.Operands.F32, s.address(), x.address(), out.address(), rows, w.cols(), w.rows());
        } else {
            gemm.matmul(Gemm.Operands.F32, w.memory().address(), x.address(), out.address(), rows, w.cols(), w.rows());
        }
    }

    /** A scratch area of at least {@code bytes}, grown (and the old one freed after the stream drained) as needed. */
    private CudaContext.DevicePointer scratch(long bytes) {
        if (scratch == null || scratch.bytes() < bytes) {
            if (scratch != null) {
                cuda.synchronize();
                cuda.free(scratch);
                scratch = null;
            }
            scratch = cuda.allocate(SCRATCH, BufferPool.sizeClass(bytes));
        }
        return scratch;
    }

    @Override
    public void rope(ActivationBuffer x, int rows, int heads, int headDim, RopeAngles angles) {
        cuda.bind();
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
        kernels.rope(cuda.stream(), ptr(x), cos.memory(), sin.memory(), rows, heads, headDim);
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
        cuda.bind();
        CudaKvStorage storage = device(kv);
        useBatch(batch);
        KvLayout l = storage.layout();
        kernels.writeKv(cuda.stream(), ptr(k), ptr(v), storage.pool(), rowBlocks.memory(), rowSlots.memory(), batch.rows(),
                l.kvDim(), l.blockSize(), layer, l.blockFloats());
    }

    @Override
    public void attention(ActivationBuffer q, KvStorage kv, KvBatch batch, int layer, int heads, int kvHeads, int headDim,
                          ActivationBuffer out) {
        cuda.bind();
        if (heads % kvHeads != 0) throw new IllegalArgumentException(heads + " heads is not a multiple of " + kvHeads + " kv heads");
        CudaKvStorage storage = device(kv);
        useBatch(batch);
        KvLayout l = storage.layout();
        float scale = (float) (1.0 / Math.sqrt(headDim));
        kernels.attention(cuda.stream(), ptr(q), storage.pool(), tables.memory(), rowTables.memory(), positions.memory(), ptr(out),
                batch.rows(), heads, kvHeads, headDim, l.blockSize(), layer, l.blockFloats(), scale);
    }

    @Override
    public void siluMul(ActivationBuffer gate, ActivationBuffer up, int n) {
        cuda.bind();
        kernels.siluMul(cuda.stream(), ptr(gate), ptr(up), n);
    }

    @Override
    public void add(ActivationBuffer x, ActivationBuffer y, int n) {
        cuda.bind();
        kernels.addInplace(cuda.stream(), ptr(x), ptr(y), n);
    }

    @Override
    public void logits(ActivationBuffer x, int[] rows, Weight lmHead, ActivationBuffer out) {
        cuda.bind();
        CudaWeight w = device(lmHead);
        if (rows.length == 0) return;
        try (CudaBuffer rowIds = ints(rows); CudaBuffer selected = buffers.take(rows.length * w.cols())) {
            kernels.gatherRows(cuda.stream(), ptr(x), rowIds.memory(), selected.memory(), rows.length, w.cols());
            product(selected.memory(), rows.length, w, ptr(out));
        }
    }

    /**
     * Whole rows are gathered into one buffer and copied back at once; for selected rows only the normalisers (max,
     * log-sum) and the requested logits are computed on the device ({@code row_normalizers}, {@code gather_logits}) and
     * copied back: a few numbers per beam instead of the vocabulary.
     */
    @Override
    public LogitRow[] readLogits(ActivationBuffer logits, int rows, int vocab, int[][] select) {
        cuda.bind();
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
                kernels.gatherRows(cuda.stream(), ptr(logits), idx.memory(), rowsOut.memory(), dense, vocab);
                staging.download(at -> rowsOut.memory().at(at), values.length, values);
            }
            for (int d = 0; d < dense; d++) out[denseRows[d]] = LogitRow.dense(Arrays.copyOfRange(values, d * vocab, (d + 1) * vocab));
        }
        if (selected > 0) {
            float[] values = new float[2 * selected + ids];   // normalisers (max, log-sum) of each row, then the logits
            try (CudaBuffer idx = ints(selectedRows); CudaBuffer rowIds = ints(rowOf); CudaBuffer tokenIds = ints(tokens);
                 CudaBuffer result = buffers.take(values.length)) {
                kernels.rowNormalizers(cuda.stream(), ptr(logits), idx.memory(), result.memory(), selected, vocab);
                kernels.gatherLogits(cuda.stream(), ptr(logits), rowIds.memory(), tokenIds.memory(), result.memory().at(8L * selected),
                        ids, vocab);
                staging.download(at -> result.memory().at(at), values.length, values);
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
        cuda.bind();
        cuda.synchronize();
        releaseBatch();
        if (cos != null) {
            cos.close();
            sin.close();
        }
        for (CudaWeight w : weights.values()) cuda.free(w.memory());
        weights.clear();
        if (scratch != null) cuda.free(scratch);
        if (uploadBuffer != null) cuda.freeHost(uploadBuffer);
        staging.close();
        buffers.close();
        gemm.close();
        module.close();
        cuda.close();
    }
}
