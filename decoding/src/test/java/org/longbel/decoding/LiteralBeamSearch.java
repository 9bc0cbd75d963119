package org.longbel.decoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.longbel.core.LogSoftmax;

/**
 * A literal, unoptimised transcription of Hugging Face's {@code _beam_search} loop (hf-beam-search.md
 * §2) over full K*V arrays: the oracle the optimised {@link BeamSearch} (streamed selection over sparse
 * and vectorised rows, step-0 row sharing, per-step records) is compared with. It shares the row
 * normaliser ({@link LogSoftmax#normalizer}) so that log-probs are bit-equal, and {@link TorchTopK#topk}
 * applied to whole arrays.
 */
final class LiteralBeamSearch {

    record Output(List<int[]> sequences, float[] scores, int steps, List<float[][]> processedScores) {}

    static Output run(int[] prompt, int vocab, Constraint constraint, DecodingSettings s, ScriptedLm lm) {
        int K = s.numBeams();
        int keep = s.keep();
        float dead = -1.0e9f;
        List<int[]> runSeq = new ArrayList<>();
        float[] runScore = new float[K];
        List<int[]> finSeq = new ArrayList<>();
        float[] finScore = new float[K];
        boolean[] finDone = new boolean[K];
        for (int k = 0; k < K; k++) {
            runSeq.add(new int[0]);
            finSeq.add(new int[0]);
            runScore[k] = k == 0 ? 0f : dead;
            finScore[k] = dead;
        }
        boolean open = true;
        List<float[][]> all = new ArrayList<>();
        int step = 0;
        int[] buffer = new int[vocab];
        while (true) {
            float[][] lp = new float[K][vocab];
            for (int k = 0; k < K; k++) {
                float[] x = lm.logits(runSeq.get(k));
                LogSoftmax.Normalizer n = LogSoftmax.normalizer(x);
                int count = constraint.allowed(prompt, runSeq.get(k), runSeq.get(k).length, buffer);
                boolean[] ok = new boolean[vocab];
                if (count == Constraint.ALL) Arrays.fill(ok, true);
                for (int i = 0; i < count; i++) ok[buffer[i]] = true;
                for (int t = 0; t < vocab; t++) lp[k][t] = ok[t] ? n.apply(x[t]) : Float.NEGATIVE_INFINITY;
            }
            all.add(lp);
            float[] acc = new float[K * vocab];
            for (int k = 0; k < K; k++) for (int t = 0; t < vocab; t++) acc[k * vocab + t] = lp[k][t] + runScore[k];
            int[] order = TorchTopK.topk(acc, keep);
            int[] idx = new int[keep];
            float[] cand = new float[keep];
            boolean[] hit = new boolean[keep];
            List<int[]> candSeq = new ArrayList<>();
            for (int j = 0; j < keep; j++) {
                idx[j] = order[j];
                cand[j] = acc[idx[j]];
                int parent = idx[j] / vocab;
                int token = idx[j] % vocab;
                int[] p = runSeq.get(parent);
                int[] c = Arrays.copyOf(p, p.length + 1);
                c[p.length] = token;
                candSeq.add(c);
                hit[j] = step + 1 >= s.maxNewTokens() || s.isEos(token);
            }
            // running beams
            float[] r = new float[keep];
            for (int j = 0; j < keep; j++) r[j] = cand[j] + (hit[j] ? 1f : 0f) * dead;
            int[] sel = TorchTopK.topk(r, K);
            List<int[]> newRun = new ArrayList<>();
            for (int i = 0; i < K; i++) {
                newRun.add(candSeq.get(sel[i]));
                runScore[i] = r[sel[i]];
            }
            runSeq = newRun;
            // finished pool
            float L = (float) Math.pow(step + 1, s.lengthPenalty());
            boolean full = s.earlyStopping() == EarlyStopping.TRUE && allTrue(finDone);
            float[] merged = new float[K + keep];
            System.arraycopy(finScore, 0, merged, 0, K);
            for (int j = 0; j < keep; j++) {
                float f = cand[j] / L;
                f += (full ? 1f : 0f) * dead;
                f += (open ? 0f : 1f) * dead;
                f += ((hit[j] && j < K) ? 0f : 1f) * dead;
                merged[K + j] = f;
            }
            int[] m = TorchTopK.topk(merged, K);
            List<int[]> newFin = new ArrayList<>();
            float[] newScore = new float[K];
            boolean[] newDone = new boolean[K];
            for (int i = 0; i < K; i++) {
                int e = m[i];
                newFin.add(e < K ? finSeq.get(e) : candSeq.get(e - K));
                newScore[i] = merged[e];
                newDone[i] = e < K ? finDone[e] : hit[e - K] && e - K < K;
            }
            finSeq = newFin;
            finScore = newScore;
            finDone = newDone;
            step++;
            // heuristic
            int hypLen = s.earlyStopping() == EarlyStopping.NEVER && s.lengthPenalty() > 0 ? s.maxNewTokens() : step;
            float best = runScore[0] / (float) Math.pow(hypLen, s.lengthPenalty());
            float mn = Float.POSITIVE_INFINITY;
            for (float v : finScore) mn = Math.min(mn, v);
            boolean any = false;
            for (int k = 0; k < K; k++) any |= best > (finDone[k] ? mn : dead);
            open = open && any;
            boolean allHit = true;
            for (boolean h : hit) allHit &= h;
            boolean exists = !(allTrue(finDone) && s.earlyStopping() == EarlyStopping.TRUE);
            if (!(open && exists && !allHit)) break;
        }
        return new Output(finSeq.subList(0, s.numReturn()), Arrays.copyOf(finScore, s.numReturn()), step, all);
    }

    private static boolean allTrue(boolean[] b) {
        for (boolean x : b) if (!x) return false;
        return true;
    }

    /** The wrapper's compat term: log_softmax of processed row {@code slot} of a step, at {@code token}. */
    static double compatTerm(float[][] processed, int slot, int token) {
        float[] row = processed[slot];
        float max = Float.NEGATIVE_INFINITY;
        for (float v : row) max = Math.max(max, v);
        double sum = 0;
        for (float v : row) sum += Math.exp((double) v - max);
        return row[token] == Float.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY : (row[token] - max) - Math.log(sum);
    }
}
