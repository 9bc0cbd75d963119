package org.longbel.core;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.longbel.core.backend.ActivationBuffer;
import org.longbel.core.backend.Backend;
import org.longbel.core.backend.CpuBackend;
import org.longbel.core.backend.KernelWarmup;
import org.longbel.core.backend.RopeAngles;
import org.longbel.core.backend.Weight;
import org.longbel.core.kv.KvBatch;
import org.longbel.core.kv.KvLayout;
import org.longbel.core.kv.KvStorage;
import org.longbel.core.kv.PagedKvCache;

/**
 * The Llama decoder (Hugging Face {@code LlamaForCausalLM} semantics) over a {@link Backend} and a
 * {@link PagedKvCache}. One {@link #forward} runs every token of every sequence of a batch as one matrix of
 * rows, each with its own sequence and position; the LM head runs only at the rows whose logits are asked for.
 *
 * <p>The weights are handed to the backend once, when the model is made ({@link Backend#weight}: a device backend
 * uploads them then), and every cache's blocks live in storage the backend makes ({@link #newCache}).
 *
 * <p>Several threads may run forwards at once on different caches (they share the backend's workers; a backend
 * that cannot interleave forwards, such as a GPU stream, runs them one after the other); one cache is used by one
 * forward at a time. If a forward fails, the sequences it extended are truncated back.
 */
public final class LlamaModel implements CausalLM {

    /** System property: {@code false} turns off {@link Checkpoint#prefetch} in {@link #load}. */
    public static final String PREFETCH_PROPERTY = "longbel.prefetch";

    private final ModelConfig config;
    private final LlamaWeights weights;
    private final Backend backend;
    /** The weights as the backend holds them: layers in order, then embedding, final norm, LM head. */
    private final BoundLayer[] layers;
    private final Weight embedding, finalNorm, lmHead;
    private final float[] invFreq;
    private final AutoCloseable resources;
    /** The kernel warm-up to wait for before the first forward; null once done, or when there is none. */
    private volatile KernelWarmup warmup;

    /**
     * A model over given weights. {@code resources} (for example the {@link Checkpoint} that maps the weights)
     * is closed with the model, after the backend.
     */
    public LlamaModel(ModelConfig config, LlamaWeights weights, Backend backend, AutoCloseable resources) {
        this(config, weights, backend, resources, null);
    }

    private LlamaModel(ModelConfig config, LlamaWeights weights, Backend backend, AutoCloseable resources,
                       KernelWarmup warmup) {
        this.config = config;
        this.weights = weights;
        this.backend = backend;
        this.layers = new BoundLayer[weights.layers().size()];
        for (int l = 0; l < layers.length; l++) layers[l] = BoundLayer.of(backend, l, weights.layers().get(l));
        this.embedding = backend.weight(weights.tokenEmbedding());
        this.finalNorm = backend.weight(weights.finalNorm());
        this.lmHead = backend.weight(weights.lmHead());
        this.invFreq = Rope.of(config.rope(), config.headDim()).inverseFrequencies();
        this.resources = resources;
        this.warmup = warmup;
    }

    /**
     * Opens the checkpoint directory {@code dir} and runs it on a CPU backend with {@code threads} threads.
     *
     * <p>The weights are brought into memory on a background thread in the order the forward reads them
     * ({@link Checkpoint#prefetch}; {@code -Dlongbel.prefetch=false} turns it off). With {@code -Dlongbel.warmup=true}
     * the backend's kernels are also warmed up on a thread of their own while the checkpoint opens, and the first
     * forward waits for it ({@link KernelWarmup}; off by default: it measured no gain).
     */
    public static LlamaModel load(Path dir, int threads) {
        return load(dir, new CpuBackend(threads));
    }

    /**
     * Opens the checkpoint directory {@code dir} and runs it on {@code backend}, which the model then owns (it is
     * closed with the model, or at once if the load fails). The weights are prefetched as in {@link #load(Path, int)};
     * the kernel warm-up applies to a {@link CpuBackend} only.
     */
    public static LlamaModel load(Path dir, Backend backend) {
        KernelWarmup warmup = null;
        Checkpoint checkpoint = null;
        try {
            if (KernelWarmup.enabled() && backend instanceof CpuBackend) warmup = startWarmup(backend, dir);
            checkpoint = Checkpoint.open(dir);
            if (!"false".equalsIgnoreCase(System.getProperty(PREFETCH_PROPERTY, "true").trim())) checkpoint.prefetch();
            if (warmup != null) warmup.alsoFor(checkpoint.weights().layers().getFirst().wq().dtype());
            return new LlamaModel(checkpoint.config(), checkpoint.weights(), backend, checkpoint, warmup);
        } catch (RuntimeException | Error e) {
            if (warmup != null) warmup.close();
            backend.close();
            if (checkpoint != null) checkpoint.close();
            throw e;
        }
    }

    @Override
    public ModelConfig config() { return config; }

    /** The backend that runs this model's operations. */
    public Backend backend() { return backend; }

    /** A {@link PagedKvCache} for this model's layers and key/value width, its blocks in the backend's storage. */
    @Override
    public PagedKvCache newCache(int blockSize, long budgetBytes) {
        return new PagedKvCache(new KvLayout(config.numLayers(), config.kvDim(), blockSize), budgetBytes, backend::newKvStorage);
    }

    /** Bytes of KV-cache blocks that one sequence of {@code tokens} tokens occupies with {@code blockSize}. */
    public long kvBytes(int tokens, int blockSize) {
        long blocks = (tokens + blockSize - 1) / blockSize;
        return blocks * PagedKvCache.bytesPerBlock(config.numLayers(), config.kvDim(), blockSize);
    }

    @Override
    public float[][][] forward(KvCache kvCache, int[] seqs, int[][] tokens, int[][] logitIndices) {
        int vocab = config.vocabSize();
        return forward(kvCache, seqs, tokens, logitIndices, (b, out) -> {
            float[] logits = new float[b.logitRows.length * vocab];
            backend.download(out, 0, logits.length, logits);
            return b.split(logits, vocab);
        });
    }

    /**
     * The forward with the selection done by the backend ({@link Backend#readLogits}): a device backend computes the
     * selected rows' normalisers and gathers the requested logits where the rows are, and copies back only those.
     */
    @Override
    public LogitRow[][] forwardSelected(KvCache kvCache, int[] seqs, int[][] tokens, int[][] logitIndices, int[][][] select) {
        int count = LogitRow.checkSelection(seqs, logitIndices, select, config.vocabSize());
        int[][] flat = new int[count][];
        for (int i = 0, r = 0; i < select.length; i++) for (int[] ids : select[i]) flat[r++] = ids;
        return forward(kvCache, seqs, tokens, logitIndices,
                (b, out) -> b.split(backend.readLogits(out, flat.length, config.vocabSize(), flat)));
    }

    /** What a forward hands back, read from the LM head's output buffer {@code [logit rows, vocab]}. */
    private interface Reader<R> {
        R read(Batch batch, ActivationBuffer logits);
    }

    private <R> R forward(KvCache kvCache, int[] seqs, int[][] tokens, int[][] logitIndices, Reader<R> reader) {
        if (!(kvCache instanceof PagedKvCache cache)) {
            throw new IllegalArgumentException("LlamaModel needs a cache made by its newCache(), got " + kvCache.getClass().getName());
        }
        if (cache.numLayers() != config.numLayers() || cache.kvDim() != config.kvDim()) {
            throw new IllegalArgumentException("the KV cache holds " + cache.numLayers() + " layers of width " + cache.kvDim()
                    + " but this model has " + config.numLayers() + " layers of width " + config.kvDim()
                    + "; make the cache with this model's newCache()");
        }
        Batch batch = Batch.of(config, cache, seqs, tokens, logitIndices);
        awaitWarmup();
        cache.extend(seqs, tokens);
        try {
            R result;
            if (backend.concurrentForwards()) {
                result = run(cache, batch, reader);
            } else {
                synchronized (backend) {
                    result = run(cache, batch, reader);
                }
            }
            cache.commit(seqs);
            return result;
        } catch (RuntimeException | Error e) {
            for (int i = 0; i < seqs.length; i++) cache.truncate(seqs[i], batch.startLengths[i]);
            throw e;
        }
    }

    /** The decoder, top to bottom, for all rows of the batch at once. */
    private <R> R run(PagedKvCache cache, Batch b, Reader<R> reader) {
        ModelConfig c = config;
        int n = b.rows, dim = c.hiddenSize(), qDim = c.qDim(), kvDim = c.kvDim(), hidden = c.intermediateSize();
        int vocab = c.vocabSize();
        KvBatch kv = cache.batch(b.rowSeqs, b.positions);          // block tables, the same for every layer
        KvStorage storage = cache.storage();
        RopeAngles angles = RopeAngles.of(b.positions, invFreq);    // the same for every layer
        try (ActivationBuffer x = backend.allocate(n * dim);        // residual stream
             ActivationBuffer xb = backend.allocate(n * dim);       // normalised input of a sub-block, then its output
             ActivationBuffer q = backend.allocate(n * qDim);
             ActivationBuffer k = backend.allocate(n * kvDim);
             ActivationBuffer v = backend.allocate(n * kvDim);
             ActivationBuffer att = backend.allocate(n * qDim);
             ActivationBuffer gate = backend.allocate(n * hidden);
             ActivationBuffer up = backend.allocate(n * hidden);
             ActivationBuffer out = backend.allocate(b.logitRows.length * vocab)) {

            backend.embed(embedding, b.ids, x);
            for (BoundLayer w : layers) {
                int l = w.index;

                // attention: x += Wo · attn(rope(Wq·xn), rope(Wk·xn), Wv·xn)
                backend.rmsNorm(x, n, w.inputNorm, c.rmsNormEps(), xb);
                backend.matmul(xb, n, w.wq, q);
                backend.matmul(xb, n, w.wk, k);
                backend.matmul(xb, n, w.wv, v);
                backend.rope(q, n, c.numHeads(), c.headDim(), angles);
                backend.rope(k, n, c.numKvHeads(), c.headDim(), angles);
                backend.writeKv(storage, kv, l, k, v);
                backend.attention(q, storage, kv, l, c.numHeads(), c.numKvHeads(), c.headDim(), att);
                backend.matmul(att, n, w.wo, xb);
                backend.add(x, xb, n * dim);

                // SwiGLU MLP: x += Wdown · (silu(Wgate·xn) * (Wup·xn))
                backend.rmsNorm(x, n, w.postAttentionNorm, c.rmsNormEps(), xb);
                backend.matmul(xb, n, w.wGate, gate);
                backend.matmul(xb, n, w.wUp, up);
                backend.siluMul(gate, up, n * hidden);
                backend.matmul(gate, n, w.wDown, xb);
                backend.add(x, xb, n * dim);
            }

            backend.rmsNorm(x, n, finalNorm, c.rmsNormEps(), xb);
            backend.logits(xb, b.logitRows, lmHead, out);
            return reader.read(b, out);
        }
    }

    /** One decoder layer's weights as the backend holds them. */
    private record BoundLayer(int index, Weight inputNorm, Weight wq, Weight wk, Weight wv, Weight wo,
                              Weight postAttentionNorm, Weight wGate, Weight wUp, Weight wDown) {

        static BoundLayer of(Backend b, int index, LlamaWeights.Layer w) {
            return new BoundLayer(index, b.weight(w.inputNorm()), b.weight(w.wq()), b.weight(w.wk()), b.weight(w.wv()),
                    b.weight(w.wo()), b.weight(w.postAttentionNorm()), b.weight(w.wGate()), b.weight(w.wUp()),
                    b.weight(w.wDown()));
        }
    }

    /**
     * Gradient saliency by a hand-written backward pass ({@link InputGradients}), on this model's CPU backend, or on a
     * CPU backend of every processor when the model runs on another device.
     */
    @Override
    public double[] inputGradientNorms(int[] ids, int promptLength, int[] excludedTargets, int[] maskedKeys) {
        if (ids.length == 0 || promptLength < 0 || promptLength > ids.length) {
            throw new IllegalArgumentException("saliency needs ids and a prompt length in [0, " + ids.length + "], got " + promptLength);
        }
        if (ids.length > config.maxPositions()) {
            throw new IllegalArgumentException(ids.length + " tokens are beyond max_position_embeddings " + config.maxPositions());
        }
        for (int id : ids) {
            if (id < 0 || id >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + config.vocabSize() + ")");
            }
        }
        CpuBackend own = backend instanceof CpuBackend ? null : new CpuBackend(Runtime.getRuntime().availableProcessors());
        try {
            CpuBackend cpu = own == null ? (CpuBackend) backend : own;
            return new InputGradients(config, weights, cpu, invFreq).norms(ids, promptLength, excludedTargets, maskedKeys);
        } finally {
            if (own != null) own.close();
        }
    }

    /** A warm-up for the model of {@code dir}, or null when its config cannot be read (the open then says why). */
    private static KernelWarmup startWarmup(Backend backend, Path dir) {
        ModelConfig config;
        try {
            config = ModelConfigReader.read(dir.resolve("config.json"));
        } catch (RuntimeException e) {
            return null;
        }
        return KernelWarmup.start(backend, config);
    }

    /** Waits for the kernel warm-up started by {@link #load}, if it is still running. */
    private void awaitWarmup() {
        KernelWarmup w = warmup;
        if (w != null) {
            w.await();
            warmup = null;
        }
    }

    /** Stops a kernel warm-up still running, closes the backend, then the weights' resources. */
    @Override
    public void close() {
        KernelWarmup w = warmup;
        if (w != null) w.close();
        backend.close();
        if (resources != null) {
            try {
                resources.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the model's resources failed: " + e.getMessage(), e);
            }
        }
    }

    /** The rows of one forward: every token of every sequence, flattened in call order. */
    private static final class Batch {
        final int rows;
        final int[] counts;
        final int[] startLengths;
        final int[] ids;
        final int[] rowSeqs;
        final int[] positions;
        final int[] logitRows;
        final int[][] logitIndices;

        private Batch(int rows, int[] counts, int[] startLengths, int[] ids, int[] rowSeqs, int[] positions,
                      int[] logitRows, int[][] logitIndices) {
            this.rows = rows;
            this.counts = counts;
            this.startLengths = startLengths;
            this.ids = ids;
            this.rowSeqs = rowSeqs;
            this.positions = positions;
            this.logitRows = logitRows;
            this.logitIndices = logitIndices;
        }

        static Batch of(ModelConfig c, PagedKvCache cache, int[] seqs, int[][] tokens, int[][] logitIndices) {
            if (seqs.length != tokens.length || seqs.length != logitIndices.length) {
                throw new IllegalArgumentException("forward needs one token list and one logit-index list per sequence: got "
                        + seqs.length + " sequences, " + tokens.length + " token lists, " + logitIndices.length + " index lists");
            }
            Set<Integer> seen = new HashSet<>();
            int rows = 0, logitCount = 0;
            int[] counts = new int[seqs.length], start = new int[seqs.length];
            for (int i = 0; i < seqs.length; i++) {
                if (!seen.add(seqs[i])) throw new IllegalArgumentException("sequence " + seqs[i] + " appears twice in one forward");
                counts[i] = tokens[i].length;
                start[i] = cache.length(seqs[i]);
                if (start[i] + counts[i] > c.maxPositions()) {
                    throw new IllegalArgumentException("sequence " + seqs[i] + " would reach " + (start[i] + counts[i])
                            + " tokens, beyond max_position_embeddings " + c.maxPositions());
                }
                for (int j = 0; j < counts[i]; j++) {
                    int t = tokens[i][j];
                    if (t < 0 || t >= c.vocabSize()) {
                        throw new IllegalArgumentException("token id " + t + " (sequence " + seqs[i] + ", index " + j
                                + ") is outside the vocabulary [0, " + c.vocabSize() + ")");
                    }
                }
                int previous = -1;
                for (int j : logitIndices[i]) {
                    if (j <= previous || j >= counts[i]) {
                        throw new IllegalArgumentException("logit indices of sequence " + seqs[i] + " must be ascending and in [0, "
                                + counts[i] + "), got " + Arrays.toString(logitIndices[i]));
                    }
                    previous = j;
                }
                rows += counts[i];
                logitCount += logitIndices[i].length;
            }
            long widest = Math.max(Math.max(c.hiddenSize(), c.qDim()), c.intermediateSize());
            if ((long) rows * widest > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(rows + " tokens of activations " + widest
                        + " floats wide do not fit one array; run them in several forwards");
            }
            if ((long) logitCount * c.vocabSize() > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(logitCount + " logit rows of " + c.vocabSize()
                        + " floats do not fit one array; ask for them in several forwards");
            }
            int[] ids = new int[rows], rowSeqs = new int[rows], positions = new int[rows], logitRows = new int[logitCount];
            for (int i = 0, r = 0, lr = 0; i < seqs.length; i++) {
                for (int j : logitIndices[i]) logitRows[lr++] = r + j;
                for (int t = 0; t < counts[i]; t++, r++) {
                    ids[r] = tokens[i][t];
                    rowSeqs[r] = seqs[i];
                    positions[r] = start[i] + t;
                }
            }
            return new Batch(rows, counts, start, ids, rowSeqs, positions, logitRows, logitIndices);
        }

        /** Splits the rows of all logit indices into {@code [sequence][index]}. */
        LogitRow[][] split(LogitRow[] rows) {
            LogitRow[][] out = new LogitRow[logitIndices.length][];
            for (int i = 0, lr = 0; i < out.length; i++) {
                out[i] = Arrays.copyOfRange(rows, lr, lr + logitIndices[i].length);
                lr += logitIndices[i].length;
            }
            return out;
        }

        /** Splits the logits of all selected rows into {@code [sequence][index][vocab]}. */
        float[][][] split(float[] logits, int vocab) {
            float[][][] out = new float[logitIndices.length][][];
            for (int i = 0, lr = 0; i < out.length; i++) {
                out[i] = new float[logitIndices[i].length][];
                for (int j = 0; j < out[i].length; j++, lr++) {
                    out[i][j] = Arrays.copyOfRange(logits, lr * vocab, (lr + 1) * vocab);
                }
            }
            return out;
        }
    }
}
