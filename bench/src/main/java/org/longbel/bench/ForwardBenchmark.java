package org.longbel.bench;

import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.longbel.core.KvCache;
import org.longbel.core.LlamaModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU forward at the LongBEL-1B shape (hidden 2048, 16 layers, 32 heads, 8 KV heads, vocab 128257) on
 * random BF16 weights:
 * <ul>
 *   <li>{@code prefill}: one prompt of {@code tokens} = 128, 512 or 2048 tokens (logits at the last token only,
 *       as generation does); the score is milliseconds per prompt (tokens/s = tokens / score);</li>
 *   <li>{@code decode}: one step of {@code batch} = 1, 5, 10, 20 or 40 sequences, each a fork of one 512-token
 *       context (about a LongBEL prompt), logits at every row as beam search does; milliseconds per step.</li>
 * </ul>
 * Run it together with {@link KernelBenchmark} so that the FMA peak and read bandwidth it measures are the
 * ceilings of these figures (README, Performance).
 *
 * <p>The checkpoint is written once per trial into a temporary directory (2.5 GB), or taken from the
 * directory named by the environment variable {@code LONGBEL_BENCH_MODEL} (for example one made by
 * {@code longbel random-model}) to skip that. Threads: {@code -p threads=N}.
 * <pre>{@code java -jar bench/target/benchmarks.jar ForwardBenchmark -p threads=2}</pre>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx6g"})
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
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
    private static final int CONTEXT = 512;
    private static final int MAX_BATCH = 40;
    private static final int MAX_PROMPT = 2048;

    @Param({"2"})
    public int threads;

    private BenchCheckpoint checkpoint;
    private LlamaModel model;
    private KvCache cache;
    private int contextSeq;
    private int[] prompt;

    /** Prompt length of {@code prefill}. */
    @State(Scope.Benchmark)
    public static class Prefill {
        @Param({"128", "512", "2048"})
        public int tokens;
    }

    /** Sequences in one {@code decode} step. */
    @State(Scope.Benchmark)
    public static class Decode {
        @Param({"1", "5", "10", "20", "40"})
        public int batch;
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        checkpoint = BenchCheckpoint.open();
        model = LlamaModel.load(checkpoint.dir, threads);
        SplittableRandom random = new SplittableRandom(7);
        prompt = random.ints(MAX_PROMPT, 0, model.config().vocabSize()).toArray();
        cache = model.newCache(BLOCK_SIZE, model.kvBytes(CONTEXT, BLOCK_SIZE)
                + MAX_BATCH * model.kvBytes(BLOCK_SIZE, BLOCK_SIZE) + model.kvBytes(MAX_PROMPT, BLOCK_SIZE));
        contextSeq = cache.newSequence();
        int[] context = random.ints(CONTEXT, 0, model.config().vocabSize()).toArray();
        model.forward(cache, new int[] {contextSeq}, new int[][] {context}, new int[][] {{CONTEXT - 1}});
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        cache.close();
        model.close();
        checkpoint.close();
    }

    /** A prompt of {@code tokens} tokens in one forward, logits at the last. */
    @Benchmark
    public float[][][] prefill(Prefill p) {
        int seq = cache.newSequence();
        try {
            int[] ids = java.util.Arrays.copyOf(prompt, p.tokens);
            return model.forward(cache, new int[] {seq}, new int[][] {ids}, new int[][] {{p.tokens - 1}});
        } finally {
            cache.free(seq);
        }
    }

    /** One decode step: each of {@code batch} forks of the context gets one token. */
    @Benchmark
    public float[][][] decode(Decode d) {
        int[] seqs = new int[d.batch];
        int[][] tokens = new int[d.batch][], last = new int[d.batch][];
        for (int i = 0; i < d.batch; i++) {
            seqs[i] = cache.fork(contextSeq);
            tokens[i] = new int[] {prompt[i]};
            last[i] = new int[] {0};
        }
        try {
            return model.forward(cache, seqs, tokens, last);
        } finally {
            for (int seq : seqs) cache.free(seq);
        }
    }
}
