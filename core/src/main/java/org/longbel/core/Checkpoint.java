package org.longbel.core;

import org.longbel.core.safetensors.SafetensorsDirectory;
import org.longbel.core.safetensors.SafetensorsFile;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An opened Hugging Face Llama checkpoint directory: its validated {@code config.json} and its weights
 * memory-mapped in place (zero copy). The mapping lives until {@link #close()}; tensors must not be used
 * after that.
 *
 * <pre>{@code
 * try (Checkpoint ckpt = Checkpoint.open(Path.of("models/tiny-llama32"))) {
 *     LlamaWeights w = ckpt.weights();
 * }
 * }</pre>
 */
public final class Checkpoint implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Checkpoint.class.getName());

    private final Path dir;
    private final ModelConfig config;
    private final LlamaWeights weights;
    private final List<Path> files;
    private final long bytesMapped;
    private final Arena arena;
    private final List<String> notices;
    private WeightPrefetch prefetch;

    private Checkpoint(Path dir, ModelConfig config, LlamaWeights weights, List<Path> files, long bytesMapped, Arena arena,
                       List<String> notices) {
        this.notices = List.copyOf(notices);
        this.dir = dir;
        this.config = config;
        this.weights = weights;
        this.files = files;
        this.bytesMapped = bytesMapped;
        this.arena = arena;
    }

    /**
     * Reads {@code dir/config.json}, maps the safetensors file(s) and checks every tensor against the
     * config.
     *
     * @throws CheckpointException with a message naming the file and field or tensor at fault
     */
    public static Checkpoint open(Path dir) {
        if (!Files.exists(dir)) {
            throw new CheckpointException(dir + ": does not exist; expected a checkpoint directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException(dir + ": not a directory; expected a checkpoint directory");
        }
        ModelConfig config = ModelConfigReader.read(dir.resolve("config.json"));
        Arena arena = Arena.ofShared();
        try {
            SafetensorsDirectory tensors = SafetensorsDirectory.open(dir, arena);
            List<String> notices = new ArrayList<>();
            LlamaWeights weights = LlamaWeightBinder.bind(dir, config, tensors, notices);
            List<Path> files = tensors.files().stream().map(SafetensorsFile::path).toList();
            for (String n : notices) LOG.log(System.Logger.Level.INFO, n);
            return new Checkpoint(dir, config, weights, files, tensors.bytesMapped(), arena, notices);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The checkpoint directory. */
    public Path dir() { return dir; }

    /**
     * What the loader tolerated and ignored, one line each, as Hugging Face would (a stored head of a tied checkpoint,
     * rotary frequency buffers); empty for a checkpoint exactly as config.json describes it.
     */
    public List<String> notices() { return notices; }

    /** The validated config. */
    public ModelConfig config() { return config; }

    /** Every weight, as views into the mapping; {@code lmHead} is the embedding when tied. */
    public LlamaWeights weights() { return weights; }

    /** The safetensors files mapped, in the order opened. */
    public List<Path> files() { return files; }

    /** Total bytes mapped (the sum of the safetensors file sizes). */
    public long bytesMapped() { return bytesMapped; }

    /** Number of parameters, each distinct tensor counted once (a tied LM head is not counted twice). */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : distinctTensors()) n += t.elementCount();
        return n;
    }

    /** Parameters per element type; a single entry for a uniform checkpoint. */
    public Map<DType, Long> parameterCountByDType() {
        Map<DType, Long> counts = new EnumMap<>(DType.class);
        for (Tensor t : distinctTensors()) counts.merge(t.dtype(), t.elementCount(), Long::sum);
        return Collections.unmodifiableMap(counts);
    }

    /** The element type name ({@code BF16}, {@code F16}, {@code F32}) or {@code mixed} when they differ. */
    public String dtypeSummary() {
        Map<DType, Long> counts = parameterCountByDType();
        return counts.size() == 1 ? counts.keySet().iterator().next().name() : "mixed";
    }

    private Set<Tensor> distinctTensors() {
        Set<Tensor> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.add(weights.tokenEmbedding());
        set.add(weights.finalNorm());
        set.add(weights.lmHead());
        for (LlamaWeights.Layer l : weights.layers()) {
            set.addAll(List.of(l.inputNorm(), l.wq(), l.wk(), l.wv(), l.wo(), l.postAttentionNorm(),
                    l.wGate(), l.wUp(), l.wDown()));
        }
        return set;
    }

    /**
     * Starts bringing the weights into memory on a background thread, in the order a forward reads them, so that
     * reading the files overlaps whatever comes before the first forward. Once per checkpoint; stopped by
     * {@link #close}.
     */
    public synchronized void prefetch() {
        if (prefetch == null) prefetch = WeightPrefetch.start(weights);
    }

    /** Stops a prefetch still running, then unmaps the files. Tensors of this checkpoint must not be read afterwards. */
    @Override
    public void close() {
        synchronized (this) {
            if (prefetch != null) prefetch.stop();
        }
        arena.close();
    }
}
