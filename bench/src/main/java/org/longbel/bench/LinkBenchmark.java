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
import org.longbel.linker.synth.ConceptPool;
import org.longbel.linker.synth.CorpusShape;
import org.longbel.linker.synth.SyntheticCorpus;
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
 * <p>Input: a synthetic MedMentions ST21pv-shaped corpus ({@code syntheticDocs} documents of 20-45 mentions, names
 * from the KB, {@link SyntheticCorpus}) unless {@code LONGBEL_BENCH_INPUT} names a BigBio or PubTator file. Model:
 * the demo checkpoint (random weights, tiny shape: the pipeline around a small model) unless
 * {@code LONGBEL_BENCH_MODEL} names a checkpoint directory (e.g. {@code longbel random-model} at the 1B shape
 * plus the tokenizer files); {@code LONGBEL_BENCH_KB} another KB. Scheduler features are parameters, measured
 * in the same run: {@code documents} (1: one document at a time; 0: batching across documents) and
 * {@code kvReuse}. At the 1B shape on a CPU one pass takes minutes: run it single-shot,
 * <pre>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar LinkBenchmark -bm ss -wi 0 -i 1 -p syntheticDocs=2}</pre>
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

    /** Documents in flight: 1 = one document at a time (no batching across documents), 0 = automatic. */
    @Param({"1", "0"})
    public int documents;

    /** KV reuse of prompt prefixes on or off. */
    @Param({"true", "false"})
    public boolean kvReuse;

    /** Synthetic documents (MedMentions ST21pv-shaped, names from the KB) when no input file is given. */
    @Param({"4"})
    public int syntheticDocs;

    private LongBel longBel;
    private List<Page> pages;
    private SampleOptions options;

    /** Mentions linked, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long mentions;
    }

    private Path dir;
    private LongBelOptions longBelOptions;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String model = System.getenv("LONGBEL_BENCH_MODEL");
        dir = model != null ? Path.of(model) : DemoCheckpoint.ensure(Files.createTempDirectory("longbel-bench"));
        String kb = System.getenv("LONGBEL_BENCH_KB");
        String input = System.getenv("LONGBEL_BENCH_INPUT");
        longBelOptions = LongBelOptions.defaults().withDocumentsInFlight(documents).withKvReuse(kvReuse);
        if (computeThreads > 0) longBelOptions = longBelOptions.withComputeThreads(computeThreads);
        if (kb != null) longBelOptions = longBelOptions.withKnowledgeBase(Path.of(kb));
        try (LongBel forKb = LongBel.load(dir, longBelOptions)) {
            pages = input != null ? PageSources.read(Path.of(input), InputFormat.AUTO, SemanticGroupMapping.st21pv(), w -> { })
                    : new SyntheticCorpus(ConceptPool.of(forKb.knowledgeBase(), ConceptPool.GroupChoice.st21pv(),
                            "the benchmark KB"), CorpusShape.defaults()).generate(syntheticDocs);
        }
        options = SampleOptions.defaults().withNumBeams(beams).withDeterministic(true);
    }

    /** A fresh handle (empty KV cache) per call, so reuse is only what one pass over the corpus finds. */
    @Setup(Level.Invocation)
    public void open() {
        longBel = LongBel.load(dir, longBelOptions);
    }

    @TearDown(Level.Invocation)
    public void close() {
        longBel.close();
    }

    @Benchmark
    public List<MentionResult> link(Counters counters) {
        List<MentionResult> results = longBel.sample(pages, options);
        counters.mentions += results.size();
        return results;
    }
}
