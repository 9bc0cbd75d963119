package org.longbel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.longbel.linker.CancellationToken;
import org.longbel.linker.LinkListener;
import org.longbel.linker.LinkStats;
import org.longbel.linker.LongBel;
import org.longbel.linker.LongBelOptions;
import org.longbel.linker.MentionResult;
import org.longbel.linker.PageResult;
import org.longbel.linker.SaliencyMap;
import org.longbel.linker.SampleOptions;
import org.longbel.linker.document.Page;
import org.longbel.linker.input.InputFormat;
import org.longbel.linker.input.PageSources;
import org.longbel.linker.input.SemanticGroupMapping;
import org.longbel.linker.output.AtomicOutputFile;
import org.longbel.linker.output.Prediction;
import org.longbel.linker.output.PredictionJson;
import org.longbel.linker.output.PromptJson;
import org.longbel.linker.prompt.Mention;
import org.longbel.linker.prompt.MentionExtractor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code longbel link}: links every mention of the input documents and writes one JSON record per
 * (mention, rank) to {@code --output}, atomically (a temporary file renamed at the end: an error or
 * Ctrl-C never leaves half a file). A sidecar {@code OUTPUT.meta.json} records the run's settings and
 * the decoding mode that ran (beam search, or beam sampling when the checkpoint's
 * {@code generation_config.json} says {@code do_sample} and {@code --deterministic} is not given).
 * A summary is printed on stdout as JSON; progress and warnings go to stderr. Mentions that cannot be linked (a
 * semantic group the knowledge base lacks, a prompt longer than the model's context) get error records; the run
 * then ends with exit code {@value MentionErrors#EXIT_CODE} and one line on stderr that counts them ({@link MentionErrors}). Any saliency option
 * ({@code --saliency-json}, {@code --saliency}, {@code --saliency-png}, {@code --saliency-ansi}) computes each
 * mention's saliency map (reference spec §7); the files are written, atomically too, once linking is done.
 */
@Command(name = "link", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Link the mentions of BigBio (JSON / JSON Lines) or PubTator documents to UMLS concepts.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every mention linked; the output is written",
                "1:an error (one line on stderr); the output file is left as it was",
                "2:the output is written, but some mentions got error records (counted on stderr)",
                "130:cancelled (Ctrl-C); the output file is left as it was"})
public final class LinkCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "LongBEL checkpoint directory.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "Documents: BigBio JSON array, JSON Lines, or PubTator.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "FILE.jsonl", description = "Predictions, one JSON record per mention and rank.")
    Path output;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "auto|bigbio|pubtator",
            description = "Input format (default: ${DEFAULT-VALUE}: detected from the first character).")
    String format;

    @Option(names = "--semantic-groups", paramLabel = "FILE",
            description = "PubTator: semantic type -> group mapping in UMLS SemGroups format (ABBR|Group|TUI|Type); default: the bundled ST21pv mapping.")
    Path semanticGroups;

    @Option(names = "--beams", defaultValue = "5", paramLabel = "N", description = "Beams and returned ranks per mention (default: ${DEFAULT-VALUE}).")
    int beams;

    @Option(names = "--kb", paramLabel = "FILE", description = "Knowledge base (text_to_code.json, TSV, UMLS dir or built trie); default: the checkpoint's text_to_code.json.")
    Path kb;

    @Option(names = "--no-constraint", description = "Decode without the knowledge-base trie constraint.")
    boolean noConstraint;

    @Option(names = "--multiple-answers", description = "Allow several names joined by <+> (SPACCC checkpoints).")
    boolean multipleAnswers;

    @Option(names = "--deterministic", description = "Force deterministic beam search even if generation_config.json says do_sample.")
    boolean deterministic;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of beam sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--documents", defaultValue = "0", paramLabel = "N",
            description = "Documents linked at the same time, their beams and prompt chunks batched into each forward "
                    + "(default: 0 = enough to fill the row budget).")
    int documents;

    @Option(names = "--row-budget", defaultValue = "0", paramLabel = "N",
            description = "Most token rows per forward: decode rows of every live beam plus prefill chunks (default: 0 = "
                    + LongBelOptions.CPU_ROW_BUDGET + " on the CPU, " + LongBelOptions.GPU_ROW_BUDGET + " on a GPU).")
    int rowBudget;

    @Option(names = "--no-kv-reuse", description = "Recompute every prompt in full instead of reusing the cached KV blocks "
            + "of its prefix (the outputs are identical; for measurement).")
    boolean noKvReuse;

    @Option(names = "--stats", description = "Print what the scheduler did (tokens prefilled and reused, forwards, rows, "
            + "decode steps, peak KV bytes) on stderr; it is always in the metadata.")
    boolean stats;

    @Option(names = "--compute-threads", paramLabel = "N", description = "CPU threads for the model's matrix work (default: all processors).")
    Integer computeThreads;

    @Option(names = "--kv-cache-mb", defaultValue = "0", paramLabel = "MiB",
            description = "KV-cache budget shared by the documents in flight, in MiB; a mention that does not fit alone gets an error record "
                    + "(default: 0 = 2048 on the CPU, most of the free memory on a GPU).")
    long kvCacheMb;

    @Mixin
    DeviceOptions device;

    @Option(names = "--kb-cache", paramLabel = "DIR",
            description = "Where the trie built from a source KB is kept and reused until the KB or tokenizer changes (default: ~/.cache/longbel/kb).")
    Path kbCache;

    @Option(names = "--max-new-tokens", defaultValue = "128", paramLabel = "N", description = "Most generated tokens per mention (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--dump-prompts", paramLabel = "FILE.jsonl", description = "Also write every prompt as used: {mention_id, text, ids}.")
    Path dumpPrompts;

    @Option(names = "--reference-compat", description = "Reproduce the Python wrapper's name/code text parse and score exactly.")
    boolean referenceCompat;

    @Option(names = "--saliency-json", paramLabel = "FILE.json",
            description = "Also compute each mention's gradient saliency map (top beam) and write them as a JSON array.")
    Path saliencyJson;

    @Option(names = "--saliency", paramLabel = "FILE.html",
            description = "Also compute the saliency maps and write them as one HTML page, grouped by document.")
    Path saliencyHtml;

    @Option(names = "--saliency-png", paramLabel = "DIR",
            description = "Also compute the saliency maps and draw one PNG per mention in DIR (<mention_id>.png).")
    Path saliencyPng;

    @Option(names = "--saliency-ansi", description = "Also compute the saliency maps and print them on stderr in 24-bit colour.")
    boolean saliencyAnsi;

    @Option(names = "--no-progress", description = "Do not draw the progress bar.")
    boolean noProgress;

    @Mixin
    CommonOptions common;

    /** Set by Ctrl-C / SIGTERM (a shutdown hook): the linking stops at its next step. */
    private final CancellationToken cancel = new CancellationToken();

    /**
     * Links; a cancellation (Ctrl-C) ends in {@link ErrorHandler}'s exit code 130, naming the output not written,
     * whatever the interrupted step threw (an output file deleted under its writer fails it).
     */
    @Override
    public Integer call() throws IOException {
        try {
            return run(common.err());
        } catch (CancellationException e) {
            throw cancelled(e);
        } catch (IOException | RuntimeException e) {
            if (cancel.isCancelled()) throw cancelled(e);
            throw e;
        }
    }

    private CancellationException cancelled(Exception cause) {
        CancellationException named = new CancellationException("cancelled; " + output + " was not written");
        named.initCause(cause);
        return named;
    }

    private int run(PrintWriter err) throws IOException {
        if (!Files.isRegularFile(input)) throw new IllegalArgumentException("input " + input + " is not a file");
        if (!Files.isDirectory(model)) throw new IllegalArgumentException("model " + model + " is not a directory");
        if (saliencyPng != null && ModuleLayer.boot().findModule("java.desktop").isEmpty()) {
            throw new IllegalArgumentException("--saliency-png draws with Java2D, but this Java runtime has no java.desktop "
                    + "module; use --saliency (HTML) or --saliency-json, or a full JDK");
        }
        InputFormat inputFormat = parseFormat(format);
        SemanticGroupMapping groups = semanticGroups == null ? SemanticGroupMapping.st21pv()
                : SemanticGroupMapping.fromFile(semanticGroups);
        List<Page> pages = PageSources.read(input, inputFormat, groups, w -> warn(err, w));
        int totalMentions = pages.stream().mapToInt(p -> MentionExtractor.mentions(p).size()).sum();
        SampleOptions options = new SampleOptions(beams, !noConstraint, multipleAnswers, referenceCompat,
                deterministic, seed, maxNewTokens, saliency());
        if (kvCacheMb < 0) throw new IllegalArgumentException("--kv-cache-mb must be >= 0 (0: automatic), got " + kvCacheMb);
        if (documents < 0) throw new IllegalArgumentException("--documents must be >= 0 (0: automatic), got " + documents);
        if (rowBudget < 0) throw new IllegalArgumentException("--row-budget must be >= 0 (0: automatic), got " + rowBudget);
        LongBelOptions loadOptions = LongBelOptions.defaults().withDocumentsInFlight(documents).withKnowledgeBase(kb)
                .withKvCacheBytes(kvCacheMb << 20).withRowBudget(rowBudget).withKvReuse(!noKvReuse)
                .withDevice(device.device()).withPrecision(device.precision());
        if (computeThreads != null) loadOptions = loadOptions.withComputeThreads(computeThreads);
        if (kbCache != null) loadOptions = loadOptions.withKbCacheDir(kbCache);

        Instant start = Instant.now();
        // the outputs are opened first: an unwritable output fails before the model loads; until their commit they
        // are temporary files, deleted on an error or when the JVM exits (Ctrl-C, SIGTERM)
        try (AtomicOutputFile out = new AtomicOutputFile(output);
             AtomicOutputFile sidecar = new AtomicOutputFile(metaPath(output));
             AtomicOutputFile prompts = dumpPrompts == null ? null : new AtomicOutputFile(dumpPrompts);
             AtomicOutputFile salJson = saliencyJson == null ? null : new AtomicOutputFile(saliencyJson);
             AtomicOutputFile salHtml = saliencyHtml == null ? null : new AtomicOutputFile(saliencyHtml);
             LongBel longBel = LongBel.load(model, loadOptions)) {
            Thread hook = new Thread(cancel::cancel, "longbel-link-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
            DeviceOptions.note(err, longBel.deviceNote());
            try {
                Instant linkStart = Instant.now();
                LinkStats before = longBel.stats();
                List<SaliencyMap> maps = new ArrayList<>();
                MentionErrors errors = new MentionErrors();
                int records = linkAll(longBel, pages, options, cancel, totalMentions, out, prompts, maps, errors, err);
                LinkStats run = longBel.stats().minus(before);
                int bos = longBel.tokenizer().bosId();
                if (salJson != null) SaliencyOutput.writeJson(salJson.writer(), maps);
                if (salHtml != null) {
                    SaliencyOutput.writeHtml(salHtml.writer(), maps, bos, "LongBEL saliency maps: " + input.getFileName());
                }
                if (saliencyPng != null) SaliencyPng.writeAll(maps, saliencyPng, bos);
                Instant end = Instant.now();
                ObjectNode meta = metadata(longBel, options, pages.size(), totalMentions, records,
                        Duration.between(start, end).toMillis() / 1000.0,
                        Duration.between(linkStart, end).toMillis() / 1000.0, run);
                meta.put("mention_errors", errors.count());
                sidecar.writer().write(JsonOutput.indented(meta));
                sidecar.writer().write('\n');
                // the predictions first: a run stopped between two renames leaves complete files, the new
                // predictions with the previous run's metadata at worst
                out.commit();
                if (prompts != null) prompts.commit();
                if (salJson != null) salJson.commit();
                if (salHtml != null) salHtml.commit();
                sidecar.commit();
                if (stats) printStats(err, run);
                JsonOutput.printIndented(common.out(), meta);
                String summary = errors.summary(input, output, totalMentions);
                if (summary != null) {
                    err.println("longbel: " + summary);
                    err.flush();
                    return MentionErrors.EXIT_CODE;
                }
            } finally {
                removeHook(hook);
            }
        }
        return 0;
    }

    /** Links every page, writing records (and prompts) page by page in input order; returns the record count. */
    private int linkAll(LongBel longBel, List<Page> pages, SampleOptions options, CancellationToken cancel,
                        int totalMentions, AtomicOutputFile out, AtomicOutputFile prompts, List<SaliencyMap> maps,
                        MentionErrors errors, PrintWriter err) {
        ProgressBar bar = progressBar(totalMentions);
        AtomicInteger documents = new AtomicInteger();
        AtomicInteger records = new AtomicInteger();
        LinkListener progress = new LinkListener() {
            @Override public void onMention(Mention m, List<Prediction> ps) {
                if (bar != null) bar.step();
            }
            @Override public void onPage(String pageId, int mentions) {
                int done = documents.incrementAndGet();
                if (bar != null) bar.setExtraMessage(String.format(Locale.ROOT, "documents %d/%d", done, pages.size()));
            }
            @Override public void onWarning(String message) {
                // the mentions it concerns are counted in the closing line; said as it happens with --verbose
                if (common.verbose) warn(err, message);
            }
        };
        try {
            longBel.stream(pages, options, progress, cancel, page -> {
                write(out.writer(), page, records);
                page.mentions().forEach(errors::add);
                if (prompts != null) writePrompts(prompts.writer(), page);
                for (MentionResult m : page.mentions()) {
                    if (m.saliency() == null) continue;
                    maps.add(m.saliency());
                    if (saliencyAnsi) printAnsi(err, m.saliency(), longBel.tokenizer().bosId());
                }
            });
        } finally {
            if (bar != null) bar.close();
        }
        return records.get();
    }

    /** Whether any saliency output was asked for (each one turns the maps on). */
    boolean saliency() {
        return saliencyJson != null || saliencyHtml != null || saliencyPng != null || saliencyAnsi;
    }

    private static synchronized void printAnsi(PrintWriter err, SaliencyMap m, int bos) {
        err.println(SaliencyOutput.ansiLine(m, bos));
        err.flush();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting: the hook runs and cleans up
        }
    }

    private static void write(Writer w, PageResult page, AtomicInteger records) {
        try {
            for (MentionResult m : page.mentions()) {
                for (Prediction p : m.predictions()) {
                    w.write(PredictionJson.toLine(p));
                    w.write('\n');
                    records.incrementAndGet();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static void writePrompts(Writer w, PageResult page) {
        try {
            for (MentionResult m : page.mentions()) {
                w.write(PromptJson.toLine(m.prompt().mentionId(), m.prompt().text(), m.prompt().ids()));
                w.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private ObjectNode metadata(LongBel longBel, SampleOptions o, int documentCount, int mentions, int records,
                                double seconds, double linkSeconds, LinkStats run) {
        ObjectNode n = JsonOutput.object();
        n.put("output", output.toAbsolutePath().normalize().toString());
        if (dumpPrompts != null) n.put("prompts", dumpPrompts.toAbsolutePath().normalize().toString());
        n.put("model", model.toAbsolutePath().normalize().toString());
        n.put("input", input.toAbsolutePath().normalize().toString());
        n.put("documents", documentCount);
        n.put("mentions", mentions);
        n.put("records", records);
        n.put("decoding_mode", longBel.mode(o).name());
        var g = longBel.generationConfig();
        n.put("generation_config_do_sample", g.doSample());
        if (longBel.mode(o).isSampling()) {
            n.put("temperature", g.temperature());
            n.put("top_k", g.topK());
            n.put("top_p", g.topP());
            n.put("seed", o.seed());
        }
        n.put("beams", o.numBeams());
        n.put("constrained", o.constrained());
        n.put("multiple_answers", o.multipleAnswers());
        n.put("reference_compat", o.referenceCompat());
        n.put("saliency", o.saliency());
        if (saliencyJson != null) n.put("saliency_json", saliencyJson.toAbsolutePath().normalize().toString());
        if (saliencyHtml != null) n.put("saliency_html", saliencyHtml.toAbsolutePath().normalize().toString());
        if (saliencyPng != null) n.put("saliency_png", saliencyPng.toAbsolutePath().normalize().toString());
        n.put("max_new_tokens", o.maxNewTokens());
        n.put("documents_in_flight", documents);
        n.put("row_budget", rowBudget);
        n.put("device", longBel.deviceNote());
        n.put("kv_reuse", !noKvReuse);
        n.put("seconds", seconds);
        n.put("linking_seconds", linkSeconds);
        n.put("mentions_per_second", linkSeconds > 0 ? Math.round(mentions / linkSeconds * 1000) / 1000.0 : 0);
        n.set("stats", statsJson(run));
        return n;
    }

    private static ObjectNode statsJson(LinkStats s) {
        ObjectNode n = JsonOutput.object();
        n.put("mentions_decoded", s.mentions());
        n.put("prompt_tokens", s.promptTokens());
        n.put("prefilled_tokens", s.prefilledTokens());
        n.put("reused_tokens", s.reusedTokens());
        n.put("reuse_ratio", Math.round(s.reuseRatio() * 10000) / 10000.0);
        n.put("forward_calls", s.forwardCalls());
        n.put("rows", s.rows());
        n.put("mean_rows_per_forward", Math.round(s.meanRowsPerForward() * 100) / 100.0);
        n.put("decode_steps", s.decodeSteps());
        n.put("preemptions", s.preemptions());
        n.put("evicted_kv_blocks", s.evictedBlocks());
        n.put("peak_kv_bytes", s.peakKvBytes());
        n.put("decode_rows", s.decodeRows());
        n.put("forward_seconds", Math.round(s.forwardNanos() / 1e6) / 1000.0);
        n.put("scheduler_seconds", Math.round(s.nanos() / 1e6) / 1000.0);
        n.put("mentions_per_second", Math.round(s.mentionsPerSecond() * 1000) / 1000.0);
        return n;
    }

    private static void printStats(PrintWriter err, LinkStats s) {
        err.printf(Locale.ROOT, "prompt tokens %d, prefilled %d, reused %d (reuse ratio %.1f%%)%n", s.promptTokens(),
                s.prefilledTokens(), s.reusedTokens(), 100 * s.reuseRatio());
        err.printf(Locale.ROOT, "forwards %d, rows %d (%.1f per forward), decode steps %d, preemptions %d, evicted KV blocks %d%n",
                s.forwardCalls(), s.rows(), s.meanRowsPerForward(), s.decodeSteps(), s.preemptions(), s.evictedBlocks());
        err.printf(Locale.ROOT, "mentions %d in %.1f s (%.1f s in forwards): %.3f mentions/s, peak KV %.1f MiB%n",
                s.mentions(), s.nanos() / 1e9, s.forwardNanos() / 1e9, s.mentionsPerSecond(), s.peakKvBytes() / 1048576.0);
        err.flush();
    }

    /** {@code OUTPUT.meta.json} beside the output. */
    static Path metaPath(Path output) {
        return output.resolveSibling(output.getFileName() + ".meta.json");
    }

    private ProgressBar progressBar(int mentions) {
        if (noProgress) return null;
        return new ProgressBarBuilder().setTaskName("linking").setInitialMax(mentions).setUnit(" mentions", 1)
                .showSpeed().setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setMaxRenderedLength(120).build();
    }

    private static InputFormat parseFormat(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "auto" -> InputFormat.AUTO;
            case "bigbio", "json", "jsonl" -> InputFormat.BIGBIO;
            case "pubtator" -> InputFormat.PUBTATOR;
            default -> throw new IllegalArgumentException("--format must be auto, bigbio or pubtator, got '" + s + "'");
        };
    }

    private static synchronized void warn(PrintWriter err, String message) {
        err.println("longbel: warning: " + message);
        err.flush();
    }
}
