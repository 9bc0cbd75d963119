package org.longbel.decoding;

import java.util.Arrays;
import org.longbel.core.LogSoftmax;
import org.longbel.core.LogitRow;

/**
 * Turns one slot's raw logits into its {@link ProcessedRow}, in Hugging Face's order:
 * log-softmax over the full vocabulary (beam modes only; {@code _sample} works on raw logits), the
 * constraint's mask (no renormalisation), then, when sampling, temperature, top-k and top-p.
 * Holds scratch buffers: one processor per search, not thread-safe.
 */
final class RowProcessor {

    private static final LogSoftmax.Normalizer IDENTITY = new LogSoftmax.Normalizer(0f, 0f);

    private final int vocabSize;
    private final boolean logSoftmax;
    private final boolean sampling;
    private final float temperature;
    private final int topK;
    private final double topP;
    private final int minTokensToKeep;
    private int[] allowed = new int[0];
    private float[] values = new float[0];

    RowProcessor(int vocabSize, DecodingSettings settings) {
        this.vocabSize = vocabSize;
        DecodingMode mode = settings.mode();
        this.logSoftmax = mode == DecodingMode.BEAM_SEARCH || mode == DecodingMode.BEAM_SAMPLE;
        this.sampling = mode.isSampling();
        this.temperature = (float) settings.sampling().temperature();
        this.minTokensToKeep = settings.minTokensToKeep();
        this.topK = settings.sampling().topK() == 0 ? 0 : Math.max(settings.sampling().topK(), minTokensToKeep);
        this.topP = settings.sampling().topP();
    }

    /** The processed row of a running sequence {@code prompt ++ generated[0, generatedLength)}. */
    ProcessedRow process(float[] raw, int[] prompt, int[] generated, int generatedLength, Constraint constraint) {
        return process(LogitRow.dense(raw), null, prompt, generated, generatedLength, constraint);
    }

    /**
     * The ids a row of this sequence must bring back ({@link DecodingSearch#wantedIds}): the constraint's
     * allowed set, ascending and distinct, for a deterministic mode with a real constraint; null (the whole
     * row) when sampling, when every token is allowed, or when nothing is (so that {@link #process} reports it).
     */
    int[] wanted(int[] prompt, int[] generated, int generatedLength, Constraint constraint) {
        if (sampling) return null;
        int n = allowedSet(prompt, generated, generatedLength, constraint);
        return n == Constraint.ALL || n == 0 ? null : Arrays.copyOf(allowed, n);
    }

    /**
     * The processed row of a running sequence {@code prompt ++ generated[0, generatedLength)} from the row a
     * forward handed back: the whole row, or (deterministic modes with a real constraint only) the constraint's
     * allowed tokens with the row's normaliser, which gives the same values bit for bit.
     *
     * @param known the allowed set already computed for this row by {@link #wanted} (then the constraint is not
     *              asked again), or null
     */
    ProcessedRow process(LogitRow row, int[] known, int[] prompt, int[] generated, int generatedLength,
                         Constraint constraint) {
        if (row.isDense() && row.dense().length != vocabSize) {
            throw new IllegalArgumentException("logits row has " + row.dense().length + " values, expected vocab size " + vocabSize);
        }
        int n;
        if (known != null) {
            if (allowed.length < vocabSize) allowed = new int[vocabSize];
            System.arraycopy(known, 0, allowed, 0, known.length);
            n = known.length;
        } else {
            n = allowedSet(prompt, generated, generatedLength, constraint);
        }
        if (n == 0) {
            throw new DecodingException("constraint is unsatisfiable: no token allowed after "
                    + generatedLength + " generated tokens " + Arrays.toString(Arrays.copyOf(generated, generatedLength)));
        }
        if (!row.isDense()) return selected(row, n);

        float[] raw = row.dense();
        LogSoftmax.Normalizer base = logSoftmax ? LogSoftmax.normalizer(raw) : IDENTITY;
        if (!sampling) {
            if (n == Constraint.ALL) {
                // log_softmax of a log_softmax row: its max is -logSum exactly, its log-sum is logSum up to rounding
                LogSoftmax.Normalizer renorm = logSoftmax ? new LogSoftmax.Normalizer(-base.logSum(), base.logSum())
                        : LogSoftmax.normalizer(raw);
                return ProcessedRow.dense(raw, base, renorm);
            }
            ensureValues(n);
            for (int i = 0; i < n; i++) values[i] = base.apply(raw[allowed[i]]);
            return ProcessedRow.sparse(allowed, values, n);
        }
        return warp(raw, base, n);
    }

    /** A selected row: exactly the allowed set {@code allowed[0, n)}, scored with the whole row's normaliser. */
    private ProcessedRow selected(LogitRow row, int n) {
        if (sampling) throw new IllegalStateException("a sampling mode needs whole logits rows, got a selected row");
        if (n == Constraint.ALL) {
            throw new IllegalStateException("the constraint allows every token, so the whole logits row is needed; got a selected row");
        }
        int[] ids = row.ids();
        if (ids.length != n || !Arrays.equals(ids, 0, n, allowed, 0, n)) {
            throw new IllegalStateException("selected logits row holds tokens " + show(ids, ids.length)
                    + " but the constraint allows " + show(allowed, n));
        }
        LogSoftmax.Normalizer base = logSoftmax ? row.normalizer() : IDENTITY;
        ensureValues(n);
        float[] raw = row.values();
        for (int i = 0; i < n; i++) values[i] = base.apply(raw[i]);
        return ProcessedRow.sparse(allowed, values, n);
    }

    private static String show(int[] ids, int n) {
        int m = Math.min(n, 32);
        String s = Arrays.toString(Arrays.copyOf(ids, m));
        return n > m ? s.substring(0, s.length() - 1) + ", ... (" + n + " ids)]" : s;
    }

    /**
     * The constraint's allowed set into {@code allowed}: returns {@link Constraint#ALL}, 0 (unsatisfiable) or
     * the count of the ids, then sorted and distinct.
     */
    private int allowedSet(int[] prompt, int[] generated, int generatedLength, Constraint constraint) {
        if (allowed.length < vocabSize) allowed = new int[vocabSize];
        int n = constraint.allowed(prompt, generated, generatedLength, allowed);
        if (n < 0 && n != Constraint.ALL) throw new IllegalStateException("constraint returned count " + n);
        return n > 0 ? sortedDistinct(n) : n;
    }

    /** Checks the allowed ids, sorts them and drops duplicates; returns the new count. */
    private int sortedDistinct(int n) {
        for (int i = 0; i < n; i++) {
            int t = allowed[i];
            if (t < 0 || t >= vocabSize) {
                throw new IllegalStateException("constraint allowed token " + t + ", outside the vocabulary [0, " + vocabSize + ")");
            }
        }
        Arrays.sort(allowed, 0, n);
        int m = 0;
        for (int i = 0; i < n; i++) if (m == 0 || allowed[m - 1] != allowed[i]) allowed[m++] = allowed[i];
        return m;
    }

    private void ensureValues(int n) {
        if (values.length < n) values = new float[Math.max(n, Math.min(vocabSize, 2 * values.length + 16))];
    }

    private float processed(float x, LogSoftmax.Normalizer base) {
        float v = base.apply(x);
        return temperature == 1f ? v : v / temperature;
    }

    /**
     * Temperature, top-k (ties kept), top-p: the survivors with their unchanged tempered values, in
     * ascending token order (every filter below keeps the order).
     */
    private ProcessedRow warp(float[] raw, LogSoftmax.Normalizer base, int nAllowed) {
        int n;
        if (nAllowed == Constraint.ALL) {
            n = topK > 0 ? topKOfFullRow(raw, base) : allTokens(raw, base);
        } else {
            ensureValues(nAllowed);
            for (int i = 0; i < nAllowed; i++) values[i] = processed(raw[allowed[i]], base);
            n = topK > 0 ? keepTopK(nAllowed) : nAllowed;
        }
        if (topP < 1.0) n = keepTopP(n);
        return ProcessedRow.sparse(allowed, values, n);
    }

    private int allTokens(float[] raw, LogSoftmax.Normalizer base) {
        ensureValues(vocabSize);
        for (int t = 0; t < vocabSize; t++) {
            allowed[t] = t;
            values[t] = processed(raw[t], base);
        }
        return vocabSize;
    }

    /** Top-k over a whole row without materialising it: select the k-th value, then keep every tie. */
    private int topKOfFullRow(float[] raw, LogSoftmax.Normalizer base) {
        if (topK >= vocabSize) return allTokens(raw, base);
        TopEntries best = new TopEntries(topK);
        for (int t = 0; t < vocabSize; t++) {
            float v = processed(raw[t], base);
            if (!best.isFull() || v > best.threshold()) best.offer(v, t);
        }
        float threshold = best.value(topK - 1);
        int n = 0;
        for (int t = 0; t < vocabSize; t++) {
            float v = processed(raw[t], base);
            if (v >= threshold && v != Float.NEGATIVE_INFINITY) {
                ensureValues(n + 1);
                allowed[n] = t;
                values[n++] = v;
            }
        }
        return n;
    }

    /** {@code TopKLogitsWarper}: drop values strictly below the k-th largest (a no-op with fewer than k). */
    private int keepTopK(int n) {
        if (n <= topK) return n;
        float[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        float threshold = sorted[n - topK];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (values[i] >= threshold) {
                allowed[m] = allowed[i];
                values[m++] = values[i];
            }
        }
        return m;
    }

    /**
     * {@code TopPLogitsWarper}: sort ascending, cumulative softmax (float32 probabilities, summed in
     * double like torch's CPU cumsum), drop where the cumulative mass is {@code <= (float) (1 - top_p)},
     * never the last {@code minTokensToKeep}. Equal values are ordered by token id descending (torch's
     * sort is not stable; documented best effort).
     */
    private int keepTopP(int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> {
            int c = Float.compare(values[a], values[b]);
            return c != 0 ? c : Integer.compare(allowed[b], allowed[a]);
        });
        float max = values[order[n - 1]];
        float sum = 0f;
        for (int i = 0; i < n; i++) sum += (float) Math.exp(values[order[i]] - max);
        float limit = (float) (1.0 - topP);
        boolean[] remove = new boolean[n];
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            float p = (float) Math.exp(values[order[i]] - max) / sum;
            cumulative += p;
            remove[order[i]] = (float) cumulative <= limit && i < n - minTokensToKeep;
        }
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (!remove[i]) {
                allowed[m] = allowed[i];
                values[m++] = values[i];
            }
        }
        return m;
    }
}
