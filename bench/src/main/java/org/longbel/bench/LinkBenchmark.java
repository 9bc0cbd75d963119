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
import org.longbel.linker.input.InputFormat;
import org.longbel.linker.input.PageSources;
import org.longbel.linker.input.SemanticGroupMapping;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * End-to-end linking throughput in mentions/s: documents -> prompts -> trie-constrained 5-beam search
 * -> records, through the public {@link LongBel} API (deterministic beam search).
 * <p>By default it links the model card's example on the demo checkpoint (random weights, tiny shape),
 * which measures the pipeline around a small model. For the 1B shape set {@code LONGBEL_BENCH_MODEL} to a
 * checkpoint directory (e.g. made by {@code longbel random-model} plus the tokenizer files),
 * {@code LONGBEL_BENCH_KB} to a KB file and {@code LONGBEL_BENCH_INPUT} to a BigBio or PubTator file.
 * <pre>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar LinkBenchmark -p computeThreads=2}</pre>
 * The {@code mentions} counter is the score: mentions linked per second.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LinkBenchmark {

    /** Compute threads of the model (0: all processors). */
    @Param({"0"})
    public int computeThreads;

    /** Beams per mention. */
    @Param({"5"})
    public int beams;

    private LongBel longBel;
    private List<Page> pages;
    private SampleOptions options;

    /** Mentions linked, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long mentions;
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String model = System.getenv("LONGBEL_BENCH_MODEL");
        Path dir = model != null ? Path.of(model) : DemoCheckpoint.ensure(Files.createTempDirectory("longbel-bench"));
        String kb = System.getenv("LONGBEL_BENCH_KB");
        String input = System.getenv("LONGBEL_BENCH_INPUT");
        LongBelOptions longBelOptions = LongBelOptions.defaults().withPageThreads(1);
        if (computeThreads > 0) longBelOptions = longBelOptions.withComputeThreads(computeThreads);
        if (kb != null) longBelOptions = longBelOptions.withKnowledgeBase(Path.of(kb));
        longBel = LongBel.load(dir, longBelOptions);
        pages = input == null ? DemoCheckpoint.examplePages()
                : PageSources.read(Path.of(input), InputFormat.AUTO, SemanticGroupMapping.st21pv(), w -> { });
        options = SampleOptions.defaults().withNumBeams(beams).withDeterministic(true);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        longBel.close();
    }

    @Benchmark
    public List<MentionResult> link(Counters counters) {
        List<MentionResult> results = longBel.sample(pages, options);
        counters.mentions += results.size();
        return results;
    }
}
