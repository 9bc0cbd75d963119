package org.longbel.cli;

import org.longbel.linker.LongBel;
import org.longbel.linker.LongBelOptions;
import org.longbel.linker.MentionResult;
import org.longbel.linker.SampleOptions;
import org.longbel.linker.demo.DemoCheckpoint;
import org.longbel.linker.document.Page;
import org.longbel.linker.output.Prediction;
import org.longbel.linker.output.PredictionJson;
import org.longbel.linker.prompt.Mention;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code longbel demo}: links the model card's example document end to end on a small checkpoint
 * with random weights, generated on first use into a cache directory with the project's own
 * random-model generator, the bundled LongBEL tokenizer and the card's concepts as the knowledge base.
 * Prints the ranked predictions like the model card (name, code, beam score per rank), and says that
 * meaningful predictions need a real checkpoint.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the model card's example document end to end on a generated random checkpoint.",
                "The predictions are meaningless (random weights); pass a real checkpoint to 'longbel link'."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where the demo checkpoint is generated (default: $XDG_CACHE_HOME/longbel/demo or ~/.cache/longbel/demo).")
    Path cacheDir;

    @Option(names = "--beams", defaultValue = "5", paramLabel = "N", description = "Beams and ranks per mention (default: ${DEFAULT-VALUE}).")
    int beams;

    @Option(names = "--json", description = "Print the records as JSON Lines instead of the table.")
    boolean json;

    @Mixin
    DeviceOptions device;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = common.out();
        PrintWriter err = common.err();
        Path cache = cacheDir != null ? cacheDir : DemoCheckpoint.defaultCacheDir();
        boolean fresh = !Files.isDirectory(cache.resolve(DemoCheckpoint.NAME));
        if (fresh) {
            err.println("longbel: generating the demo checkpoint (random weights, about 20 MB) in " + cache + " ...");
            err.flush();
        }
        Path dir = DemoCheckpoint.ensure(cache);
        List<Page> pages = DemoCheckpoint.examplePages();
        SampleOptions options = SampleOptions.defaults().withNumBeams(beams).withDeterministic(true);
        List<MentionResult> results;
        try (LongBel longBel = LongBel.load(dir, LongBelOptions.defaults().withDevice(device.device()).withPrecision(device.precision()))) {
            DeviceOptions.note(err, longBel.deviceNote());
            results = longBel.sample(pages, options);
        }
        if (json) {
            for (MentionResult m : results) for (Prediction p : m.predictions()) out.println(PredictionJson.toLine(p));
        } else {
            printTable(out, dir, pages.getFirst(), results);
        }
        out.flush();
        return 0;
    }

    /** Three decimals like the model card, or three significant digits for the tiny scores of random weights. */
    private static String score(double v) {
        if (Double.isNaN(v)) return "-";
        return v == 0 || v >= 1e-3 ? String.format(Locale.ROOT, "%.3f", v) : String.format(Locale.ROOT, "%.2e", v);
    }

    private static void printTable(PrintWriter out, Path dir, Page page, List<MentionResult> results) {
        out.println("LongBEL demo: the model card's example document, linked end to end by this engine.");
        out.println("Checkpoint: " + dir + " (random weights, tiny-llama32 shape)");
        out.println();
        out.println("Document ID: " + page.documentId() + " (page " + page.id() + ")");
        out.println(page.passages().getFirst().text());
        for (MentionResult m : results) {
            Mention mention = m.mention();
            out.println();
            out.printf(Locale.ROOT, "%s  %s  [%d, %d)%n", mention.target(), mention.mentionId(), mention.start(), mention.end());
            out.printf(Locale.ROOT, "  %4s  %-10s  %-10s  %-7s  %s%n", "rank", "beam score", "code", "score", "predicted concept name");
            for (Prediction p : m.predictions()) {
                out.printf(Locale.ROOT, "  %4d  %10s  %-10s  %7.3f  %s%n", p.rank(), score(p.beamScore()), p.predCode(),
                        p.score(), p.predName());
            }
        }
        out.println();
        out.println("These weights are random: the predictions above only show that the pipeline runs end to end");
        out.println("(prompt, memory, trie-constrained beam search, records). Meaningful predictions need a real");
        out.println("LongBEL checkpoint (e.g. LongBEL_1B_MedMentions_st21pv from Hugging Face), downloaded to DIR:");
        out.println("  ./longbel link --model DIR --input documents.json --output predictions.jsonl");
    }
}
