package org.longbel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.longbel.core.DType;
import org.longbel.core.KvCache;
import org.longbel.core.LlamaModel;
import org.longbel.core.ModelConfig;
import org.longbel.core.ModelConfigReader;
import org.longbel.core.RandomCheckpoint;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU forward at the LongBEL-1B shape (hidden 2048, 16 layers, 32 heads, 8 KV heads, vocab 128257) on
 * random BF16 weights: prefill throughput in tokens/s for a 128- and a 512-token prompt (logits at the last
 * token only, as generation does), and the time of one decode step for a batch of 1 and of 5 sequences with
 * 128 cached tokens each (logits at every row, as beam search does).
 *
 * <p>The checkpoint is written once per trial into a temporary directory (2.5 GB), or taken from the
 * directory named by the environment variable {@code LONGBEL_BENCH_MODEL} (for example one made by
 * {@code longbel random-model}) to skip that. Threads: {@code -p threads=N}.
 * <pre>{@code java -jar bench/target/benchmarks.jar ForwardBenchmark -p threads=2}</pre>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
public class ForwardBenchmark {

    /** The exact LongBEL-1B {@code config.json}. */
    static final String LONGBEL_1B_CONFIG = """
            {"model_type": "llama_longbel", "hidden_size": 2048, "intermediate_size": 8192, "num_hidden_layers": 16,
             "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 64, "vocab_size": 128257,
             "rms_norm_eps": 1e-05, "max_position_embeddings": 131072, "rope_theta": 500000.0,
             "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                              "original_max_position_embeddings": 8192, "rope_type": "llama3"},
             "tie_word_embeddings": true, "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009],
             "attention_bias": false, "mlp_bias": false, "hidden_act": "silu", "torch_dtype": "bfloat16"}
            """;

    private static final int BLOCK_SIZE = 16;
    private static final int CONTEXT = 128;
    private static final int MAX_BATCH = 5;

    @Param({"2"})
    public int threads;

    private Path tempDir;
    private LlamaModel model;
    private KvCache cache;
    private int[] contextSeqs;
    private int[] prompt;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String given = System.getenv("LONGBEL_BENCH_MODEL");
        Path dir;
        if (given != null) {
            dir = Path.of(given);
        } else {
            tempDir = Files.createTempDirectory("longbel-bench");
            dir = tempDir.resolve("longbel-1b-random");
            ModelConfig config = ModelConfigReader.parse(LONGBEL_1B_CONFIG, "LongBEL-1B config");
            RandomCheckpoint.write(config, dir, 42, DType.BF16);
        }
        model = LlamaModel.load(dir, threads);
        SplittableRandom random = new SplittableRandom(7);
        prompt = random.ints(512, 0, model.config().vocabSize()).toArray();
        cache = model.newCache(BLOCK_SIZE, model.kvBytes(CONTEXT + 1, BLOCK_SIZE) * MAX_BATCH
                + model.kvBytes(512, BLOCK_SIZE));
        contextSeqs = new int[MAX_BATCH];
        for (int i = 0; i < MAX_BATCH; i++) {
            contextSeqs[i] = cache.newSequence();
            int[] context = random.ints(CONTEXT, 0, model.config().vocabSize()).toArray();
            model.forward(cache, new int[] {contextSeqs[i]}, new int[][] {context}, new int[][] {{CONTEXT - 1}});
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        cache.close();
        model.close();
        if (tempDir != null) {
            try (Stream<Path> files = Files.walk(tempDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    private float[][][] prefill(int tokens) {
        int seq = cache.newSequence();
        try {
            int[] ids = java.util.Arrays.copyOf(prompt, tokens);
            return model.forward(cache, new int[] {seq}, new int[][] {ids}, new int[][] {{tokens - 1}});
        } finally {
            cache.free(seq);
        }
    }

    /** One decode step: each of {@code batch} forks of the context sequences gets one token. */
    private float[][][] decode(int batch) {
        int[] seqs = new int[batch];
        int[][] tokens = new int[batch][], last = new int[batch][];
        for (int i = 0; i < batch; i++) {
            seqs[i] = cache.fork(contextSeqs[i]);
            tokens[i] = new int[] {prompt[i]};
            last[i] = new int[] {0};
        }
        try {
            return model.forward(cache, seqs, tokens, last);
        } finally {
            for (int seq : seqs) cache.free(seq);
        }
    }

    /** Prefill of 128 tokens; the score is tokens per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(128)
    public float[][][] prefill128() {
        return prefill(128);
    }

    /** Prefill of 512 tokens; the score is tokens per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(512)
    public float[][][] prefill512() {
        return prefill(512);
    }

    /** One decode step of one sequence (128 cached tokens); the score is milliseconds per step. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public float[][][] decodeBatch1() {
        return decode(1);
    }

    /** One decode step of five sequences (128 cached tokens each); the score is milliseconds per step. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public float[][][] decodeBatch5() {
        return decode(5);
    }
}
