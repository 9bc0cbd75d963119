package org.longbel.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.longbel.kb.ConceptTable;
import org.longbel.kb.Fingerprints;
import org.longbel.kb.KbBuilder;
import org.longbel.kb.KbSource;
import org.longbel.kb.KnowledgeBase;
import org.longbel.kb.NameEncoder;
import org.longbel.kb.SyntheticKb;
import org.longbel.kb.TextToCodeJsonReader;
import org.longbel.kb.TokenTrie;
import org.longbel.tokenizer.Tokenizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The knowledge-base trie at scale.
 *
 * <p>JMH: the time of one decoding step on the trie (copy the allowed next tokens of the current node
 * into a buffer, then follow one of them), on random root-to-leaf walks of the trie file named by
 * {@code -Dlongbel.bench.trie=FILE}:
 * <pre>{@code java -Dlongbel.bench.trie=kb.trie -jar bench/target/benchmarks.jar KbBenchmark}</pre>
 *
 * <p>Scale report (main): generates a synthetic KB of N names in 10 groups from the words of a real
 * KB, builds its trie file, then measures, in a fresh JVM, load time, resident memory after load
 * (heap + mapped) and per-step cursor latency:
 * <pre>{@code java -Xmx8g -cp benchmarks.jar org.longbel.bench.KbBenchmark scale VOCAB.json MODEL_DIR WORK_DIR [NAMES]}</pre>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KbBenchmark {
    private KnowledgeBase kb;
    private Walks walks;
    private final int[] allowed = new int[1 << 17];
    private int path;
    private int step;
    private int node;

    @Setup(Level.Trial)
    public void open() {
        String file = System.getProperty("longbel.bench.trie");
        if (file == null) throw new IllegalStateException("set -Dlongbel.bench.trie=FILE (build one with `longbel kb build`)");
        kb = KnowledgeBase.open(Path.of(file));
        walks = Walks.sample(kb, 100_000, 1);
        node = walks.root(0);
    }

    @TearDown(Level.Trial)
    public void close() {
        kb.close();
    }

    /** One decoding step: the allowed tokens of the current node, then the child of the walk's next token. */
    @Benchmark
    public int cursorStep() {
        TokenTrie trie = walks.tries[walks.group[path]];
        int n = trie.childTokens(node, allowed, 0);
        node = trie.child(node, walks.token(path, step));
        if (++step == walks.length(path)) {
            path = path + 1 == walks.count() ? 0 : path + 1;
            step = 0;
            node = walks.root(path);
        }
        return n + node;
    }

    /** Random root-to-leaf walks (uniform child at each node), packed into one array. */
    static final class Walks {
        final TokenTrie[] tries;
        final int[] group;
        final int[] offsets;
        final int[] tokens;

        private Walks(TokenTrie[] tries, int[] group, int[] offsets, int[] tokens) {
            this.tries = tries;
            this.group = group;
            this.offsets = offsets;
            this.tokens = tokens;
        }

        static Walks sample(KnowledgeBase kb, int count, long seed) {
            List<String> groups = kb.groups();
            TokenTrie[] tries = new TokenTrie[groups.size()];
            for (int g = 0; g < tries.length; g++) tries[g] = kb.trie(groups.get(g));
            SplittableRandom rnd = new SplittableRandom(seed);
            int[] group = new int[count];
            int[] offsets = new int[count + 1];
            List<Integer> toks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                group[i] = rnd.nextInt(tries.length);
                TokenTrie t = tries[group[i]];
                int node = t.root();
                while (t.childCount(node) > 0) {
                    int token = t.childToken(node, rnd.nextInt(t.childCount(node)));
                    toks.add(token);
                    node = t.child(node, token);
                }
                offsets[i + 1] = toks.size();
            }
            return new Walks(tries, group, offsets, toks.stream().mapToInt(Integer::intValue).toArray());
        }

        int count() {
            return group.length;
        }

        int length(int p) {
            return offsets[p + 1] - offsets[p];
        }

        int token(int p, int s) {
            return tokens[offsets[p] + s];
        }

        int root(int p) {
            return tries[group[p]].root();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 4 && args[0].equals("scale")) {
            scale(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), args.length > 4 ? Long.parseLong(args[4]) : 3_000_000L);
        } else if (args.length == 2 && args[0].equals("load")) {
            load(Path.of(args[1]));
        } else {
            System.err.println("usage: KbBenchmark scale VOCAB.json MODEL_DIR WORK_DIR [NAMES] | KbBenchmark load FILE.trie");
            System.exit(2);
        }
    }

    /** Generate, build, then measure the load in a fresh JVM. Prints one JSON-like line per phase. */
    static void scale(Path vocab, Path modelDir, Path work, long names) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path json = work.resolve("synthetic-" + names + ".json");
        Path trie = work.resolve("synthetic-" + names + ".trie");
        long t0 = System.nanoTime();
        SyntheticKb.Summary s = new SyntheticKb(TextToCodeJsonReader.read(vocab)).write(json, names, 10, 1);
        System.out.printf(Locale.ROOT, "generate: names=%d groups=%d codes=%d json_bytes=%d seconds=%.1f%n",
                s.names(), s.groups(), s.codes(), Files.size(json), (System.nanoTime() - t0) / 1e9);
        long t1 = System.nanoTime();
        Tokenizer tokenizer = Tokenizer.fromDirectory(modelDir);
        double tokenizerSeconds = (System.nanoTime() - t1) / 1e9;
        long t2 = System.nanoTime();
        KbSource source = KbSource.detect(json);
        ConceptTable table = source.read();
        double readSeconds = (System.nanoTime() - t2) / 1e9;
        int threads = Runtime.getRuntime().availableProcessors();
        KbBuilder.Report r = new KbBuilder(NameEncoder.of(tokenizer), Fingerprints.tokenizer(modelDir), threads)
                .build(table, source.fingerprint(), trie);
        System.out.printf(Locale.ROOT, "build: seconds=%.1f (load tokenizer %.1f, read+clean %.1f, tokenize %.1f, trie+tables %.1f, write %.1f; the rest: fingerprints) entries=%d nodes=%d tokens=%d file_bytes=%d threads=%d%n",
                (System.nanoTime() - t1) / 1e9, tokenizerSeconds, readSeconds,
                r.tokenizeMillis() / 1e3, r.trieMillis() / 1e3, r.writeMillis() / 1e3,
                r.entries(), r.nodes(), r.tokens(), r.fileBytes(), threads);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), KbBenchmark.class.getName(), "load", trie.toString())
                .inheritIO().start();
        if (p.waitFor() != 0) throw new IllegalStateException("load measurement failed");
    }

    /** In a fresh JVM: load time, resident memory, heap, per-step latency. */
    static void load(Path trie) {
        long t0 = System.nanoTime();
        KnowledgeBase.open(trie).close();      // cold: class loading (FFM, Jackson) included
        double coldMs = (System.nanoTime() - t0) / 1e6;
        System.gc();
        long rss0 = rssBytes(), heap0 = heapUsed();
        long t1 = System.nanoTime();
        try (KnowledgeBase kb = KnowledgeBase.open(trie)) {
            double loadMs = (System.nanoTime() - t1) / 1e6;
            System.gc();
            long rss1 = rssBytes(), heap1 = heapUsed();
            System.out.printf(Locale.ROOT, "load: cold_ms=%.1f warm_ms=%.1f (header, CRC32C over every byte, metadata) file_bytes=%d mapped_rss=%d heap_delta=%d process_rss_before=%d process_rss_after=%d%n",
                    coldMs, loadMs, fileSize(trie), mappedRss(trie), heap1 - heap0, rss0, rss1);
            Walks walks = Walks.sample(kb, 200_000, 7);
            int[] buf = new int[1 << 17];
            long steps = walks.tokens.length;
            double bestAllowed = Double.MAX_VALUE, bestChild = Double.MAX_VALUE;
            long sink = 0;
            for (int round = 0; round < 7; round++) {
                long a = System.nanoTime();
                for (int p = 0; p < walks.count(); p++) {
                    TokenTrie t = walks.tries[walks.group[p]];
                    int node = t.root();
                    for (int s = 0; s < walks.length(p); s++) {
                        sink += t.childTokens(node, buf, 0);
                        node = t.child(node, walks.token(p, s));
                    }
                    sink += node;
                }
                long b = System.nanoTime();
                for (int p = 0; p < walks.count(); p++) {
                    TokenTrie t = walks.tries[walks.group[p]];
                    int node = t.root();
                    for (int s = 0; s < walks.length(p); s++) node = t.child(node, walks.token(p, s));
                    sink += t.entryAt(node);
                }
                long c = System.nanoTime();
                bestAllowed = Math.min(bestAllowed, (double) (b - a) / steps);
                bestChild = Math.min(bestChild, (double) (c - b) / steps);
            }
            System.out.printf(Locale.ROOT, "cursor: walks=%d steps=%d ns_per_step(allowed tokens + child)=%.1f ns_per_step(child only)=%.1f (best of 7; sink %d)%n",
                    walks.count(), steps, bestAllowed, bestChild, sink);
        }
    }

    private static long fileSize(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private static long heapUsed() {
        var m = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return m.getUsed();
    }

    /** Resident bytes of the mappings of {@code file} in this process (Linux /proc/self/smaps), or -1. */
    private static long mappedRss(Path file) {
        String name = file.toAbsolutePath().normalize().toString();
        try {
            long total = 0;
            boolean inFile = false;
            for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
                if (Character.isDigit(line.charAt(0)) || Character.isLowerCase(line.charAt(0)) && line.contains("-")) {
                    inFile = line.endsWith(name);
                } else if (inFile && line.startsWith("Rss:")) {
                    total += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmRSS of this process (Linux), or -1. */
    private static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
