package org.longbel.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.longbel.tokenizer.Tokenizer;
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
 * Tokenizer throughput: the whole corpus ({@code fixtures/tokenizer/corpus.jsonl}, 7,012 texts) encoded
 * with BOS, on one thread and on all threads, by this project's tokenizer and by Hugging Face's Rust
 * tokenizers through DJL in the same run; plus one 1 MB word (random lowercase letters, a single
 * pre-token, so BPE merges over a million symbols).
 *
 * <p>The {@code bytes} and {@code tokens} counters are rates per second (UTF-8 bytes of input, ids out).
 * Run: {@code DJL_OFFLINE=true OPT_OUT_TRACKING=true java -jar bench/target/benchmarks.jar TokenizerBenchmark
 * -p fixtures=/path/to/fixtures}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class TokenizerBenchmark {

    /** The fixtures directory (holding tokenizer/longbel and tokenizer/corpus.jsonl). */
    @Param("../shared/fixtures")
    public String fixtures;

    private Tokenizer ours;
    private HuggingFaceTokenizer djl;
    private List<String> corpus;
    private long corpusBytes;
    private String megabyteWord;

    @Setup
    public void setUp() throws IOException {
        Path dir = Path.of(fixtures, "tokenizer", "longbel");
        ours = Tokenizer.fromDirectory(dir);
        djl = HuggingFaceTokenizer.newInstance(dir, Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"));
        ObjectMapper json = new ObjectMapper();
        corpus = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(fixtures, "tokenizer", "corpus.jsonl"))) {
            String text = json.readTree(line).get("text").textValue();
            corpus.add(text);
            corpusBytes += text.getBytes(StandardCharsets.UTF_8).length;
        }
        Random rnd = new Random(42);
        StringBuilder sb = new StringBuilder(1 << 20);
        while (sb.length() < 1 << 20) sb.append((char) ('a' + rnd.nextInt(26)));
        megabyteWord = sb.toString();
    }

    @TearDown
    public void tearDown() { djl.close(); }

    /** Per-iteration counters, reported by JMH as rates per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Throughput {
        public long bytes;
        public long tokens;

        @Setup(Level.Iteration)
        public void reset() { bytes = 0; tokens = 0; }

        /** Counts one pass over a corpus of {@code corpusBytes} that gave {@code ids} ids; returns {@code ids}. */
        long pass(long ids, long corpusBytes) {
            tokens += ids;
            bytes += corpusBytes;
            return ids;
        }
    }

    @Benchmark
    public long corpusOneThreadLongbel(Throughput t) {
        long n = 0;
        for (String text : corpus) n += ours.encode(text, true).length;
        return t.pass(n, corpusBytes);
    }

    @Benchmark
    public long corpusOneThreadDjl(Throughput t) {
        long n = 0;
        for (String text : corpus) n += djl.encode(text, true, false).getIds().length;
        return t.pass(n, corpusBytes);
    }

    @Benchmark
    public long corpusAllThreadsLongbel(Throughput t) {
        long n = 0;
        for (int[] ids : ours.encodeBatch(corpus, true)) n += ids.length;
        return t.pass(n, corpusBytes);
    }

    /** DJL's batchEncode runs Hugging Face's encode_batch, parallel on all cores (rayon). */
    @Benchmark
    public long corpusAllThreadsDjl(Throughput t) {
        long n = 0;
        for (var e : djl.batchEncode(corpus, true, false)) n += e.getIds().length;
        return t.pass(n, corpusBytes);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int[] megabyteWordLongbel() { return ours.encode(megabyteWord, false); }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long[] megabyteWordDjl() { return djl.encode(megabyteWord, false, false).getIds(); }
}
