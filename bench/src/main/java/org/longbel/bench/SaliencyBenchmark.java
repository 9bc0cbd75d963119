package org.longbel.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
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
 * Saliency cost at the exact LongBEL-1B shape (random BF16 weights): {@code saliency} is one mention's gradient
 * saliency ({@code LlamaModel.inputGradientNorms}: a forward keeping each layer's input, then per layer a recomputed
 * forward and the backward) over {@code tokens} tokens, the last 8 of them targets; {@code forward} is one forward
 * over the same tokens with logits at the last (the prefill of the mention's prompt), measured in the same run for
 * the ratio. The peak heap of the trial (the sum of the heap pools' peaks) is printed at tear-down.
 *
 * <pre>{@code LONGBEL_BENCH_MODEL=/path/to/random-1b java -jar bench/target/benchmarks.jar SaliencyBenchmark -p threads=2}</pre>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx10g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SaliencyBenchmark {

    private static final int TARGETS = 8;

    @Param({"2"})
    public int threads;

    @Param({"256", "512"})
    public int tokens;

    private BenchCheckpoint checkpoint;
    private LlamaModel model;
    private int[] ids;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        checkpoint = BenchCheckpoint.open();
        model = LlamaModel.load(checkpoint.dir, threads);
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) pool.resetPeakUsage();
        ids = new SplittableRandom(11).ints(tokens, 0, 128000).toArray();
        ids[0] = 128000;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        }
        System.out.printf("%npeak heap during the trial: %.0f MB (sum of the heap pools' peaks, model weights mapped off the heap)%n", peak / 1e6);
        model.close();
        checkpoint.close();
    }

    /** Gradient norms at every position of {@code tokens} tokens, the last {@value #TARGETS} being the targets. */
    @Benchmark
    public double[] saliency() {
        return model.inputGradientNorms(ids, tokens - TARGETS, new int[] {128000, 128009}, new int[] {128009});
    }

    /** One forward over the same tokens, logits at the last. */
    @Benchmark
    public float[][][] forward() {
        try (KvCache cache = model.newCache(16, model.kvBytes(tokens, 16))) {
            return model.forward(cache, new int[] {cache.newSequence()}, new int[][] {ids}, new int[][] {{tokens - 1}});
        }
    }
}
