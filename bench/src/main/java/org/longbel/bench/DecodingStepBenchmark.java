package org.longbel.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.longbel.decoding.BeamSearch;
import org.longbel.decoding.Constraint;
import org.longbel.decoding.DecodingSettings;
import org.longbel.decoding.Selection;
import org.longbel.decoding.SpecialIds;
import org.longbel.decoding.Unconstrained;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-step work of 5-beam search outside the model forward, at the LongBEL-1B vocabulary
 * (V = 128257): log-softmax of every beam's row, the constraint mask, the top-2K candidate selection
 * over K*V, the running and finished updates. Compare with {@code ForwardBenchmark.decode} at batch 5.
 * <ul>
 *   <li>{@code step}: a 5-row step (every step after the first).</li>
 *   <li>{@code firstStep}: the first step, where all beams are the prompt and one row serves all.</li>
 * </ul>
 * {@code constraint=none} is the unconstrained worst case (every token a candidate); {@code root2000}
 * allows 2,000 tokens per row, like the root of a large semantic group's trie.
 * <pre>{@code java -jar bench/target/benchmarks.jar DecodingStepBenchmark}</pre>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DecodingStepBenchmark {

    private static final int VOCAB = 128257;
    private static final int BEAMS = 5;
    /** LongBEL-1B's bos, eos = pad ({@code <|begin_of_text|>}, {@code <|eot_id|>}). */
    private static final SpecialIds IDS = new SpecialIds(128000, 128009, 128009);

    @Param({"none", "root2000"})
    public String constraint;

    private float[][] firstRow;
    private float[][] rows;
    private int[] prompt;
    private Constraint allowed;
    private BeamSearch afterFirstStep;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        rows = new float[BEAMS][VOCAB];
        for (float[] row : rows) {
            for (int t = 0; t < VOCAB; t++) row[t] = (float) (3 * random.nextGaussian());
        }
        firstRow = new float[][] {rows[0].clone()};
        prompt = new int[] {128000, 58, 60, 90, 92};
        if ("none".equals(constraint)) {
            allowed = Unconstrained.INSTANCE;
        } else {
            int[] tokens = random.ints(0, VOCAB - 1).distinct().limit(2000).toArray();
            allowed = (p, generated, length, out) -> {
                System.arraycopy(tokens, 0, out, 0, tokens.length);
                return tokens.length;
            };
        }
    }

    @Setup(Level.Invocation)
    public void newSearch() {
        afterFirstStep = new BeamSearch(prompt, VOCAB, allowed, DecodingSettings.longBelBeamSearch(IDS, BEAMS));
        afterFirstStep.step(firstRow);
    }

    /** One step of 5 running beams (5 rows of 128,257 logits). */
    @Benchmark
    public Selection step() {
        return afterFirstStep.step(rows);
    }

    /** The first step: one row shared by the 5 identical beams. */
    @Benchmark
    public Selection firstStep() {
        BeamSearch search = new BeamSearch(prompt, VOCAB, allowed, DecodingSettings.longBelBeamSearch(IDS, BEAMS));
        return search.step(firstRow);
    }
}
