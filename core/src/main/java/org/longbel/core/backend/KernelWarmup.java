package org.longbel.core.backend;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.longbel.core.DType;
import org.longbel.core.ModelConfig;
import org.longbel.core.Rope;
import org.longbel.core.Tensor;
import org.longbel.core.kv.KvBatch;
import org.longbel.core.kv.KvLayout;
import org.longbel.core.kv.PagedKvCache;

/**
 * An opt-in warm-up ({@code -Dlongbel.warmup=true}) that runs a backend's kernels on small inputs of its own
 * until the JIT has compiled them, before a model's first forward.
 *
 * <p>Why it exists, and why it is off: the Vector API is fast only once C2 has compiled the code that uses it
 * (the interpreter and C1 box every vector), so a fresh JVM runs the first forward of a large model partly in
 * slow code. The warm-up moves that phase onto tiny inputs, on a thread of its own that overlaps the
 * checkpoint's opening. Measured on a 2-core EPYC with JDK 25 (README, "Cold start"), it does not pay: what the
 * first forward waits for is C2's compile time of the kernels (about 1 s of one core for the tile kernels, the
 * attention and the Vector API methods C1 code calls), and a warm-up waits for the same compiles while
 * competing with the start-up for the two cores. Whole-process {@code logprobs} of 8 tokens at the 1B shape:
 * 1.74-2.05 s with it against 1.43-1.63 s without. It is kept, switched off, to re-measure on other hardware or
 * kernels in one flag.
 *
 * <ul>
 *   <li>Its weights are random, written to a small temporary file and mapped read-only as a checkpoint is, so
 *       that the kernels see the same kind of memory segment as with real weights (a heap or native segment
 *       gets C2 to compile paths that mapped weights then leave through deoptimisation).</li>
 *   <li>Its shapes follow the model's where the kernels branch on them: head size, query heads per KV head,
 *       output row counts with the model's remainders; input widths are capped at 256 and 512.</li>
 *   <li>Its KV cache is a {@link PagedKvCache} of its own, never the caller's; it calls only the public
 *       {@link Backend} interface; it changes no result (a kernel computes the same operations compiled or
 *       not).</li>
 *   <li>A round runs 17, 10, 5 and 1 rows (prefill chunks, a beam-search step, a greedy step); rounds repeat
 *       until {@value #STALE_ROUNDS} in a row are no 10% faster than the best, or {@link #MAX_NANOS}.</li>
 * </ul>
 *
 * <p>{@code -Dlongbel.warmup.log=true} prints what it did on stderr.
 */
public final class KernelWarmup implements AutoCloseable {

    /** System property: {@code true} turns the warm-up on (default {@code false}). */
    public static final String PROPERTY = "longbel.warmup";
    /** The longest a warm-up runs, whatever its rounds say. */
    public static final long MAX_NANOS = 4_000_000_000L;

    /** Output rows of the warm-up's matmul weights (plus the model's remainder modulo this). */
    private static final int WEIGHT_ROWS = 64;
    /** Widest input of the warm-up's matmuls from the hidden state, and from the MLP's intermediate state. */
    private static final int MAX_WIDTH = 256, MAX_MLP_WIDTH = 512;
    /** Tokens per block of the warm-up's KV cache (the command-line tool's and the library's default). */
    private static final int BLOCK_SIZE = 16;
    private static final int[] ROWS = {17, 10, 5, 1};
    private static final int STALE_ROUNDS = 8;

    private static final Object LOCK = new Object();
    /** Element types already warmed up in this JVM: compiled code stays compiled. */
    private static final Set<DType> WARMED = EnumSet.noneOf(DType.class);

    private final Backend backend;
    private final ModelConfig config;
    private final CompletableFuture<DType> modelDType = new CompletableFuture<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean cancelled;

    private KernelWarmup(Backend backend, ModelConfig config) {
        this.backend = backend;
        this.config = config;
    }

    /** Whether {@code -Dlongbel.warmup=true}. */
    public static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty(PROPERTY, "false").trim());
    }

    /**
     * Starts warming {@code backend} up on a daemon thread ({@code longbel-warmup}) for a model of this config,
     * with BF16 weights first. The backend must not be closed before {@link #await} or {@link #close} returns.
     */
    public static KernelWarmup start(Backend backend, ModelConfig config) {
        KernelWarmup w = new KernelWarmup(backend, config);
        Thread t = new Thread(w::runAll, "longbel-warmup");
        t.setDaemon(true);
        t.start();
        return w;
    }

    /** The element type of the model's matmul weights, once known: warmed up too, after BF16, if it is another. */
    public void alsoFor(DType dtype) {
        modelDType.complete(dtype);
    }

    /**
     * Waits for the warm-up to finish.
     *
     * @throws IllegalStateException when a backend operation failed on the warm-up's inputs
     */
    public void await() {
        modelDType.complete(DType.BF16); // no other type named by now: none will be
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the kernel warm-up", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("kernel warm-up failed: " + e.getCause(), e.getCause());
        }
    }

    /** Stops the warm-up after its current round and waits for it; never throws. */
    @Override
    public void close() {
        cancelled = true;
        modelDType.complete(DType.BF16);
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ignored) {
            // a failed warm-up leaves nothing to release
        }
    }

    private void runAll() {
        try {
            long deadline = System.nanoTime() + MAX_NANOS;
            warmOnce(DType.BF16, deadline);
            DType dtype = modelDType.join();
            if (dtype != DType.BF16) warmOnce(dtype, deadline);
            done.complete(null);
        } catch (Throwable t) {
            done.completeExceptionally(t);
        }
    }

    private void warmOnce(DType dtype, long deadline) throws IOException {
        synchronized (LOCK) {
            if (WARMED.contains(dtype) || cancelled) return;
            Report r = run(backend, config, dtype, deadline - System.nanoTime(), () -> cancelled);
            if (!cancelled) WARMED.add(dtype);
            if (Boolean.getBoolean(PROPERTY + ".log")) {
                System.err.printf(Locale.ROOT, "longbel: kernel warm-up (%s) %d rounds in %.0f ms, first round %.1f ms, last %.2f ms%n",
                        dtype, r.rounds(), r.nanos() / 1e6, r.firstRoundNanos() / 1e6, r.lastRoundNanos() / 1e6);
            }
        }
    }

    /** What one {@link #run} did: rounds, total time, time of its first and of its last round. */
    public record Report(int rounds, long nanos, long firstRoundNanos, long lastRoundNanos) {
    }

    /**
     * Runs warm-up rounds for a model of {@code config} with weights of {@code dtype} on the calling thread, at least
     * one, until {@value #STALE_ROUNDS} rounds in a row are no 10% faster than the best before them, {@code maxNanos} have
     * passed, or {@code stop} says so.
     *
     * @throws IOException when the temporary weight file cannot be written or mapped
     */
    public static Report run(Backend backend, ModelConfig config, DType dtype, long maxNanos, BooleanSupplier stop)
            throws IOException {
        long start = System.nanoTime();
        long first = 0, last = 0, best = Long.MAX_VALUE;
        int rounds = 0, stale = 0;
        try (Arena arena = Arena.ofShared()) {
            Inputs in = new Inputs(arena, config, dtype);
            // at least one round (making the inputs may use up a short budget on a loaded machine), unless stopped
            while (!stop.getAsBoolean() && (rounds == 0 || stale < STALE_ROUNDS && System.nanoTime() - start < maxNanos)) {
                long t = System.nanoTime();
                round(backend, in);
                last = System.nanoTime() - t;
                if (rounds++ == 0) first = last;
                if (last < best - best / 10) {
                    best = last;
                    stale = 0;
                } else {
                    stale++;
                }
            }
        }
        return new Report(rounds, System.nanoTime() - start, first, last);
    }

    /** One sequence of the warm-up's own cache: prefill chunks, then decode steps. */
    private static void round(Backend b, Inputs in) {
        int tokens = 0;
        for (int rows : ROWS) tokens += rows;
        int blocks = (tokens + BLOCK_SIZE - 1) / BLOCK_SIZE;
        long budget = blocks * PagedKvCache.bytesPerBlock(1, in.headDim, BLOCK_SIZE);
        try (PagedKvCache cache = new PagedKvCache(new KvLayout(1, in.headDim, BLOCK_SIZE), budget, b::newKvStorage)) {
            int seq = cache.newSequence();
            int length = 0;
            for (int rows : ROWS) {
                int[] seqs = new int[rows], positions = new int[rows], ids = new int[rows];
                for (int r = 0; r < rows; r++) {
                    seqs[r] = seq;
                    positions[r] = length + r;
                    ids[r] = (31 * (length + r) + 7) % in.embedding.rows();
                }
                cache.extend(new int[] {seq}, new int[] {rows});
                step(b, in, cache, rows, ids, cache.batch(seqs, positions));
                cache.commit(new int[] {seq});
                length += rows;
            }
        }
    }

    /**
     * Every operation of a layer and of the LM head on {@code n} rows. The operations are not chained: each reads
     * fixed random activations of its own width (copies where it works in place), so the values stay bounded.
     */
    private static void step(Backend b, Inputs in, PagedKvCache cache, int n, int[] ids, KvBatch batch) {
        Activations a = in.activations(n);
        int heads = in.group, headDim = in.headDim;
        Weight embedding = b.weight(in.embedding), norm = b.weight(in.norm);
        Weight fromHidden = b.weight(in.fromHidden), fromMlp = b.weight(in.fromMlp);
        try (ActivationBuffer x = b.allocate(n * in.embedding.cols()); ActivationBuffer narrow = b.allocate(n * in.fromHidden.rows());
             ActivationBuffer residual = copy(b, a.residual); ActivationBuffer normed = b.allocate(a.residual.length);
             ActivationBuffer hidden = copy(b, a.hidden); ActivationBuffer q = copy(b, a.q); ActivationBuffer k = copy(b, a.k);
             ActivationBuffer v = copy(b, a.v); ActivationBuffer att = b.allocate(a.q.length);
             ActivationBuffer gate = copy(b, a.gate); ActivationBuffer up = copy(b, a.up)) {
            b.embed(embedding, ids, x);
            b.rmsNorm(residual, n, norm, 1e-5f, normed);
            b.matmul(hidden, n, fromHidden, narrow);        // q, k, v, o, gate, up: input width hidden_size
            RopeAngles angles = RopeAngles.of(batch.positions(), in.invFreq);
            b.rope(q, n, heads, headDim, angles);
            b.rope(k, n, 1, headDim, angles);
            b.writeKv(cache.storage(), batch, 0, k, v);
            b.attention(q, cache.storage(), batch, 0, heads, 1, headDim, att);
            b.add(normed, residual, a.residual.length);
            b.siluMul(gate, up, a.gate.length);
            b.matmul(gate, n, fromMlp, narrow);             // down_proj: input width intermediate_size
            int[] logitRows = new int[n <= 8 ? n : 1];      // every beam of a decode step; the last row of a prefill
            for (int i = 0; i < logitRows.length; i++) logitRows[i] = n <= 8 ? i : n - 1;
            try (ActivationBuffer logits = b.allocate(logitRows.length * in.embedding.rows())) {
                b.logits(hidden, logitRows, embedding, logits);
            }
        }
    }

    /** A new buffer of the backend holding a copy of {@code values}. */
    private static ActivationBuffer copy(Backend b, float[] values) {
        ActivationBuffer buffer = b.allocate(values.length);
        b.upload(values, values.length, buffer);
        return buffer;
    }

    /** Random activations of one row count, for each width the operations read. */
    private record Activations(float[] residual, float[] hidden, float[] q, float[] k, float[] v, float[] gate, float[] up) {
    }

    /** The warm-up's weights, mapped from a temporary file, and its activations. */
    private static final class Inputs {
        final Tensor embedding, norm, fromHidden, fromMlp;
        final int group, headDim;
        final float[] invFreq;
        private final SplittableRandom random = new SplittableRandom(42);
        private final Map<Integer, Activations> activations = new HashMap<>();

        Inputs(Arena arena, ModelConfig c, DType dtype) throws IOException {
            group = c.numHeads() / c.numKvHeads();
            headDim = c.headDim();
            invFreq = Rope.of(c.rope(), headDim).inverseFrequencies();
            int width = Math.min(MAX_WIDTH, c.hiddenSize()), mlpWidth = Math.min(MAX_MLP_WIDTH, c.intermediateSize());
            long[][] shapes = {{rows(c.vocabSize()), width}, {c.hiddenSize()}, {rows(c.qDim()), width}, {rows(c.hiddenSize()), mlpWidth}};
            float[] centers = {0f, 1f, 0f, 0f};
            long[] offsets = new long[shapes.length];
            long bytes = 0;
            for (int i = 0; i < shapes.length; i++) {
                offsets[i] = bytes;
                bytes += (count(shapes[i]) * dtype.bytes() + 63) / 64 * 64;
            }
            MemorySegment file = mapped(arena, bytes, dtype, shapes, offsets, centers);
            String[] names = {"embed_tokens", "norm", "q_proj", "down_proj"};
            Tensor[] t = new Tensor[shapes.length];
            for (int i = 0; i < shapes.length; i++) {
                t[i] = new Tensor("warmup." + names[i], dtype, shapes[i], file.asSlice(offsets[i], count(shapes[i]) * dtype.bytes()));
            }
            embedding = t[0];
            norm = t[1];
            fromHidden = t[2];
            fromMlp = t[3];
        }

        /** {@link #WEIGHT_ROWS} rows plus the remainder of the model's {@code rows} modulo that. */
        private static int rows(int rows) {
            return WEIGHT_ROWS + rows % WEIGHT_ROWS;
        }

        /** The activations of {@code rows} rows, made once. */
        Activations activations(int rows) {
            return activations.computeIfAbsent(rows, n -> new Activations(random(n * norm.rows()),
                    random(n * embedding.cols()), random(n * group * headDim), random(n * headDim), random(n * headDim),
                    random(n * fromMlp.cols()), random(n * fromMlp.cols())));
        }

        private float[] random(int n) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) a[i] = (float) (random.nextDouble() - 0.5);
            return a;
        }

        private static long count(long[] shape) {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }

        /**
         * Random values (each tensor within ±0.1 of its center) written to a temporary file and mapped read-only;
         * the file is deleted at once (the mapping stays valid until the arena closes).
         */
        private MemorySegment mapped(Arena arena, long bytes, DType dtype, long[][] shapes, long[] offsets, float[] centers)
                throws IOException {
            byte[] data = new byte[Math.toIntExact(bytes)];
            MemorySegment s = MemorySegment.ofArray(data);
            ValueLayout.OfShort i16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            ValueLayout.OfFloat f32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            for (int t = 0; t < shapes.length; t++) {
                long n = count(shapes[t]);
                for (long i = 0; i < n; i++) {
                    float f = centers[t] + (float) (random.nextDouble() - 0.5) * 0.2f;
                    long at = offsets[t] + i * dtype.bytes();
                    switch (dtype) {
                        case BF16 -> s.set(i16, at, (short) (Float.floatToRawIntBits(f) >>> 16));
                        case F16 -> s.set(i16, at, Float.floatToFloat16(f));
                        case F32 -> s.set(f32, at, f);
                    }
                }
            }
            Path file = Files.createTempFile("longbel-warmup", ".bin");
            try {
                Files.write(file, data);
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                    return ch.map(FileChannel.MapMode.READ_ONLY, 0, bytes, arena);
                }
            } finally {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    file.toFile().deleteOnExit(); // a platform that cannot delete a mapped file
                }
            }
        }
    }
}
