package org.longbel.linker.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Recall@1 and Recall@K overall and per group, with percentile bootstrap intervals (reference spec
 * §8): each replicate resamples the units (documents by default) with replacement and recomputes
 * summed hits / summed mentions; the interval is the 2.5th and 97.5th percentiles (linear
 * interpolation between order statistics, as NumPy's default). A replicate in which a group has no
 * mention is left out of that group's interval. Deterministic for a given seed.
 */
public final class Evaluator {
    /** The group name of the figures over all mentions. */
    public static final String OVERALL = "overall";

    private Evaluator() {
    }

    /** Recall@1 and Recall@{@code k} of {@code table}, with {@code replicates} bootstrap replicates over {@code unit} (0: no interval). */
    public static EvalReport evaluate(PredictionTable table, int k, int replicates, long seed, Resampling unit) {
        List<ScoredMention> mentions = table.mentions();
        // units: one list of mention indices per document, or one per mention
        Map<String, List<Integer>> byUnit = new LinkedHashMap<>();
        for (int i = 0; i < mentions.size(); i++) {
            String key = unit == Resampling.DOCUMENTS ? mentions.get(i).docId() : Integer.toString(i);
            byUnit.computeIfAbsent(key, x -> new ArrayList<>()).add(i);
        }
        List<int[]> units = new ArrayList<>();
        for (List<Integer> u : byUnit.values()) units.add(u.stream().mapToInt(Integer::intValue).toArray());
        int documents = (int) mentions.stream().map(ScoredMention::docId).distinct().count();

        TreeMap<String, Integer> groupIndex = new TreeMap<>();
        for (ScoredMention m : mentions) groupIndex.putIfAbsent(m.group(), 0);
        int g = 0;
        for (Map.Entry<String, Integer> e : groupIndex.entrySet()) e.setValue(g++);
        int groups = groupIndex.size();
        int[] groupOf = mentions.stream().mapToInt(m -> groupIndex.get(m.group())).toArray();

        // point estimates: slot [groups] is overall
        Tally full = new Tally(groups);
        for (int i = 0; i < mentions.size(); i++) full.add(mentions.get(i), groupOf[i]);

        double[][] samples1 = new double[groups + 1][replicates];
        double[][] samplesK = new double[groups + 1][replicates];
        int[] counts = new int[groups + 1];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int r = 0; r < replicates; r++) {
            Tally t = new Tally(groups);
            for (int draw = 0; draw < units.size(); draw++) {
                for (int i : units.get(rng.nextInt(units.size()))) t.add(mentions.get(i), groupOf[i]);
            }
            for (int s = 0; s <= groups; s++) {
                if (t.n[s] == 0) continue;
                samples1[s][counts[s]] = (double) t.hits1[s] / t.n[s];
                samplesK[s][counts[s]] = (double) t.hitsK[s] / t.n[s];
                counts[s]++;
            }
        }
        List<GroupRecall> perGroup = new ArrayList<>();
        for (Map.Entry<String, Integer> e : groupIndex.entrySet()) {
            perGroup.add(recall(e.getKey(), e.getValue(), full, samples1, samplesK, counts));
        }
        GroupRecall overall = recall(OVERALL, groups, full, samples1, samplesK, counts);
        return new EvalReport(k, replicates, seed, unit, documents, table.skippedNoGold(), overall, perGroup);
    }

    private static GroupRecall recall(String name, int s, Tally full, double[][] s1, double[][] sK, int[] counts) {
        return new GroupRecall(name, full.n[s], interval(full.hits1[s], full.n[s], s1[s], counts[s]),
                interval(full.hitsK[s], full.n[s], sK[s], counts[s]));
    }

    private static Recall interval(int hits, int n, double[] samples, int count) {
        double value = n == 0 ? Double.NaN : (double) hits / n;
        if (count == 0) return new Recall(hits, n, value, Double.NaN, Double.NaN);
        double[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return new Recall(hits, n, value, percentile(sorted, 2.5), percentile(sorted, 97.5));
    }

    /** NumPy's default ("linear") percentile of sorted values. */
    static double percentile(double[] sorted, double q) {
        double pos = q / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Hits and mentions per group; slot {@code groups} is the overall total. */
    private static final class Tally {
        final int[] n;
        final int[] hits1;
        final int[] hitsK;
        final int overall;

        Tally(int groups) {
            n = new int[groups + 1];
            hits1 = new int[groups + 1];
            hitsK = new int[groups + 1];
            overall = groups;
        }

        void add(ScoredMention m, int group) {
            count(m, group);
            count(m, overall);
        }

        private void count(ScoredMention m, int slot) {
            n[slot]++;
            if (m.hitAt1()) hits1[slot]++;
            if (m.hitAtK()) hitsK[slot]++;
        }
    }
}
