package org.longbel.linker.eval;

import java.util.List;
import java.util.Locale;

/**
 * The evaluation's figures.
 *
 * @param k             K of Recall@K
 * @param replicates    bootstrap replicates (0: no interval)
 * @param seed          bootstrap seed
 * @param resampling    the bootstrap unit
 * @param documents     documents with at least one evaluated mention
 * @param skippedNoGold mentions left out for a missing or NO_CODE gold code
 * @param overall       figures over all mentions
 * @param groups        figures per group, sorted by name
 */
public record EvalReport(int k, int replicates, long seed, Resampling resampling, int documents,
                         int skippedNoGold, GroupRecall overall, List<GroupRecall> groups) {

    /** A fixed-width text table, one row per group and an overall row, values in percent. */
    public String table() {
        StringBuilder out = new StringBuilder();
        String head = String.format(Locale.ROOT, "%-28s %8s  %-22s %-22s%n", "group", "mentions",
                "Recall@1 [95% CI]", "Recall@" + k + " [95% CI]");
        out.append(head).append("-".repeat(head.length() - 1)).append('\n');
        for (GroupRecall g : groups) row(out, g);
        row(out, overall);
        out.append(String.format(Locale.ROOT, "%d documents; %d mentions without a usable gold code skipped; "
                + "bootstrap: %d replicates over %s, seed %d%n", documents, skippedNoGold, replicates,
                resampling.name().toLowerCase(Locale.ROOT), seed));
        return out.toString();
    }

    private static void row(StringBuilder out, GroupRecall g) {
        out.append(String.format(Locale.ROOT, "%-28s %8d  %-22s %-22s%n", g.group(), g.mentions(),
                cell(g.at1()), cell(g.atK())));
    }

    private static String cell(Recall r) {
        if (Double.isNaN(r.value())) return "-";
        if (Double.isNaN(r.low())) return String.format(Locale.ROOT, "%.1f", 100 * r.value());
        return String.format(Locale.ROOT, "%.1f [%.1f, %.1f]", 100 * r.value(), 100 * r.low(), 100 * r.high());
    }
}
