package org.longbel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.longbel.linker.LongBel;
import org.longbel.linker.LongBelOptions;
import org.longbel.linker.MentionResult;
import org.longbel.linker.SampleOptions;
import org.longbel.linker.demo.DemoCheckpoint;
import org.longbel.linker.document.Page;
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
 * The first {@link LongBel#sample} of a fresh JVM against the same call in a warm one: the cost of a cold start
 * for an application that embeds the library.
 * <ul>
 *   <li>{@code firstSample}: one measured call per fork and no warm-up iteration, so each fork's score is the
 *       first sample of its JVM (after {@link LongBel#load}, which is not timed);</li>
 *   <li>{@code steadySample}: the same call after warm-up iterations.</li>
 * </ul>
 * Every call gets a freshly loaded handle (empty KV cache: nothing reused from the call before), deterministic
 * 5-beam search, and the model card's example document (one page, four mentions). Model: the demo checkpoint
 * (tiny shape: the pipeline around a small model) unless {@code LONGBEL_BENCH_MODEL} names a checkpoint
 * directory with tokenizer files and a {@code text_to_code.json} (e.g. {@code longbel random-model} at the 1B
 * shape plus the tokenizer files of the fixtures). {@code -p warmup=true} runs the opt-in kernel warm-up
 * ({@code org.longbel.core.backend.KernelWarmup}) at load, {@code -p prefetch=false} turns the weight prefetch
 * off. At the 1B shape on two cores a call takes about 15 s:
 * <pre>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar ColdStartBenchmark}</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ColdStartBenchmark {

    /** Compute threads (0: all processors). */
    @Param({"0"})
    public int computeThreads;

    /** The opt-in kernel warm-up at model load ({@code -Dlongbel.warmup}). */
    @Param({"false"})
    public boolean warmup;

    /** The background prefetch of the weights at model load ({@code -Dlongbel.prefetch}). */
    @Param({"true"})
    public boolean prefetch;

    private Path dir;
    private LongBelOptions options;
    private List<Page> pages;
    private SampleOptions sampleOptions;
    private LongBel longBel;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        System.setProperty("longbel.warmup", Boolean.toString(warmup));
        System.setProperty("longbel.prefetch", Boolean.toString(prefetch));
        String model = System.getenv("LONGBEL_BENCH_MODEL");
        dir = model != null ? Path.of(model) : DemoCheckpoint.ensure(Files.createTempDirectory("longbel-bench"));
        options = LongBelOptions.defaults();
        if (computeThreads > 0) options = options.withComputeThreads(computeThreads);
        pages = DemoCheckpoint.examplePages();
        sampleOptions = SampleOptions.defaults().withDeterministic(true);
    }

    /** A fresh handle per call (not timed). */
    @Setup(Level.Invocation)
    public void open() {
        longBel = LongBel.load(dir, options);
    }

    @TearDown(Level.Invocation)
    public void close() {
        longBel.close();
    }

    /** The first sample of a fresh JVM: each fork measures exactly one call. */
    @Benchmark
    @Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
            "-XX:+UseParallelGC", "-Xmn128m", "-Xss8m"})
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public List<MentionResult> firstSample() {
        return longBel.sample(pages, sampleOptions);
    }

    /** The same call in a warm JVM. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
            "-XX:+UseParallelGC", "-Xmn128m", "-Xss8m"})
    @Warmup(iterations = 3)
    @Measurement(iterations = 3)
    public List<MentionResult> steadySample() {
        return longBel.sample(pages, sampleOptions);
    }
}
