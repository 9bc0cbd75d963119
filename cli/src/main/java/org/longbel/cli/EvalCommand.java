package org.longbel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.longbel.linker.eval.EvalReport;
import org.longbel.linker.eval.Evaluator;
import org.longbel.linker.eval.GroupRecall;
import org.longbel.linker.eval.PredictionTable;
import org.longbel.linker.eval.Recall;
import org.longbel.linker.eval.Resampling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code longbel eval}: Recall@1 and Recall@K, overall and per semantic group, with 95% percentile
 * bootstrap intervals (reference spec §8: documents resampled, 1,000 replicates, seed 42 by
 * default). The figures go to stdout as JSON (the CLI's contract) and, as a table, to stderr;
 * {@code --table} prints the table on stdout instead of the JSON.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Recall@1 / Recall@K with bootstrap confidence intervals, overall and per semantic group.",
                "JSON on stdout and a table on stderr (--table: the table on stdout)."})
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--predictions", required = true, paramLabel = "FILE.jsonl", description = "Records written by 'longbel link'.")
    Path predictions;

    @Option(names = "--k", defaultValue = "5", paramLabel = "K", description = "K of Recall@K; ranks above K are dropped (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--bootstrap", defaultValue = "1000", paramLabel = "N", description = "Bootstrap replicates, 0 for none (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Bootstrap seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--resample", defaultValue = "documents", paramLabel = "documents|mentions",
            description = "Bootstrap unit (default: ${DEFAULT-VALUE}, the paper's protocol).")
    String resample;

    @Option(names = "--table", description = "Print the table on stdout instead of the JSON.")
    boolean table;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        PrintWriter out = common.out();
        PrintWriter err = common.err();
        if (!Files.isRegularFile(predictions)) throw new IllegalArgumentException("predictions " + predictions + " is not a file");
        if (k < 1) throw new IllegalArgumentException("--k must be >= 1, got " + k);
        if (bootstrap < 0) throw new IllegalArgumentException("--bootstrap must be >= 0, got " + bootstrap);
        Resampling unit = switch (resample.toLowerCase(Locale.ROOT)) {
            case "documents", "docs" -> Resampling.DOCUMENTS;
            case "mentions" -> Resampling.MENTIONS;
            default -> throw new IllegalArgumentException("--resample must be documents or mentions, got '" + resample + "'");
        };
        EvalReport report = Evaluator.evaluate(PredictionTable.read(predictions, k), k, bootstrap, seed, unit);
        if (table) {
            out.print(report.table());
        } else {
            out.println(JsonOutput.indented(json(report)));
            err.print(report.table());
        }
        out.flush();
        err.flush();
        return 0;
    }

    private ObjectNode json(EvalReport r) {
        ObjectNode n = JsonOutput.object();
        n.put("predictions", predictions.toAbsolutePath().normalize().toString());
        n.put("k", r.k());
        n.put("bootstrap", r.replicates());
        n.put("seed", r.seed());
        n.put("resample", r.resampling().name().toLowerCase(Locale.ROOT));
        n.put("documents", r.documents());
        n.put("skipped_no_gold", r.skippedNoGold());
        n.set("overall", group(r.overall(), r.k()));
        ObjectNode groups = n.putObject("groups");
        for (GroupRecall g : r.groups()) groups.set(g.group(), group(g, r.k()));
        return n;
    }

    private static ObjectNode group(GroupRecall g, int k) {
        ObjectNode n = JsonOutput.object();
        n.put("mentions", g.mentions());
        n.set("recall_at_1", recall(g.at1()));
        n.set("recall_at_" + k, recall(g.atK()));
        return n;
    }

    private static ObjectNode recall(Recall r) {
        ObjectNode n = JsonOutput.object();
        n.put("hits", r.hits());
        number(n, "value", r.value());
        number(n, "ci_low", r.low());
        number(n, "ci_high", r.high());
        return n;
    }

    private static void number(ObjectNode n, String field, double v) {
        if (Double.isNaN(v)) n.putNull(field);
        else n.put(field, v);
    }
}
