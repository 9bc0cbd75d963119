package org.longbel.core;

/**
 * {@code log_softmax} over a full logits row, and top-k selection of the result. The normaliser is
 * {@code max + log(sum(exp(x - max)))} with the sum accumulated in double, left to right.
 */
public final class LogSoftmax {

    private LogSoftmax() {
    }

    /** {@code log_softmax(logits)} as a new array. */
    public static float[] of(float[] logits) {
        float[] out = new float[logits.length];
        float lse = logSumExp(logits);
        for (int i = 0; i < logits.length; i++) out[i] = logits[i] - lse;
        return out;
    }

    /** {@code log(sum(exp(x)))}, computed stably. */
    private static float logSumExp(float[] x) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) max = Math.max(max, v);
        if (max == Float.NEGATIVE_INFINITY) return max;
        double sum = 0;
        for (float v : x) sum += Math.exp((double) v - max);
        return (float) (max + Math.log(sum));
    }

    /** Indices of the {@code k} largest values, best first; equal values keep the lower index first. */
    public static int[] topK(float[] values, int k) {
        int n = Math.max(0, Math.min(k, values.length));
        int[] best = new int[n];
        if (n == 0) return best;
        int size = 0;
        for (int i = 0; i < values.length; i++) {
            if (size == n && !(values[i] > values[best[n - 1]])) continue;
            int j = size < n ? size++ : n - 1;
            while (j > 0 && values[i] > values[best[j - 1]]) {
                best[j] = best[j - 1];
                j--;
            }
            best[j] = i;
        }
        return best;
    }

    /** Index of the largest value (the lowest index among equals), like {@code torch.argmax}. */
    public static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
