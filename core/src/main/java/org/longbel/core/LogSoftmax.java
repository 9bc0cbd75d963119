package org.longbel.core;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code log_softmax} over a logits row as torch computes it in float32, used by beam search (decoding) and by
 * {@code longbel logprobs} alike, and top-k selection. Every reduction runs in a fixed order (vector lanes, then
 * the lanes left to right, then the scalar tail), so a row's result never depends on anything but the row.
 */
public final class LogSoftmax {

    private LogSoftmax() {
    }

    /** {@code log_softmax(logits)} as a new array: {@code (x - max) - log(sum(exp(x - max)))}. */
    public static float[] of(float[] logits) {
        Normalizer n = normalizer(logits);
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) out[i] = n.apply(logits[i]);
        return out;
    }

    /** The vector shape of every reduction here. */
    public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Largest value of {@code row} ({@code -inf} for an all {@code -inf} row). */
    public static float max(float[] row) {
        int n = row.length;
        int upper = SPECIES.loopBound(n);
        FloatVector acc = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i < upper; i += SPECIES.length()) acc = acc.max(FloatVector.fromArray(SPECIES, row, i));
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) m = Math.max(m, row[i]);
        return m;
    }

    /**
     * {@code sum(exp(row[i] - shift))} in float32 for {@code shift >= max(row)}. The exponential is
     * {@link #expNonPositive}, built from exactly rounded lane operations only, and the lanes are
     * added left to right: the Vector API's own {@code EXP} and {@code reduceLanes(ADD)} give
     * different bits in the interpreter and in compiled code, which would make a row's result depend
     * on JIT timing.
     */
    public static float sumExp(float[] row, float shift) {
        int n = row.length;
        int upper = SPECIES.loopBound(n);
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i < upper; i += SPECIES.length()) {
            acc = acc.add(expNonPositive(FloatVector.fromArray(SPECIES, row, i).sub(shift)));
        }
        float s = 0f;
        for (float lane : acc.toArray()) s += lane;
        for (; i < n; i++) s += expNonPositive(row[i] - shift);
        return s;
    }

    private static final float LOG2E = 1.44269504f;
    private static final float LN2_HI = 0.693145752f;      // ln 2 rounded to 17 bits: n * LN2_HI is exact
    private static final float LN2_LO = 1.42860677e-6f;    // ln 2 - LN2_HI
    private static final float ROUNDER = 12582912f;        // 1.5 * 2^23: x + ROUNDER rounds x to an integer
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    private static final float MIN_ARG = -87.33654f;       // exp(MIN_ARG) = 2^-126, the smallest normal float

    /**
     * exp(x) for x <= 0 within about 1 ulp (inputs below -87.3 give 2^-126 instead of a subnormal or 0:
     * at most 1.2e-38 per term in a sum that is at least 1). Range reduction x = k ln2 + r, then a
     * degree-7 Taylor polynomial of exp(r) for |r| <= ln2 / 2, then scaling by 2^k through the exponent bits.
     */
    public static FloatVector expNonPositive(FloatVector x) {
        x = x.max(MIN_ARG);
        FloatVector t = x.fma(LOG2E, ROUNDER);
        FloatVector k = t.sub(ROUNDER);
        FloatVector r = k.fma(x.broadcast(-LN2_HI), x);
        r = k.fma(x.broadcast(-LN2_LO), r);
        FloatVector p = r.fma(1f / 5040, 1f / 720);
        p = p.fma(r, x.broadcast(1f / 120));
        p = p.fma(r, x.broadcast(1f / 24));
        p = p.fma(r, x.broadcast(1f / 6));
        p = p.fma(r, x.broadcast(0.5f));
        p = p.fma(r, x.broadcast(1f));
        p = p.fma(r, x.broadcast(1f));
        IntVector exponent = ((IntVector) t.reinterpretAsInts()).sub(ROUNDER_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(exponent.reinterpretAsFloats());
    }

    /** Scalar twin of {@link #expNonPositive(FloatVector)}: the same operations, so the same bits. */
    public static float expNonPositive(float x) {
        x = Math.max(x, MIN_ARG);
        float t = Math.fma(x, LOG2E, ROUNDER);
        float k = t - ROUNDER;
        float r = Math.fma(k, -LN2_HI, x);
        r = Math.fma(k, -LN2_LO, r);
        float p = Math.fma(r, 1f / 5040, 1f / 720);
        p = Math.fma(p, r, 1f / 120);
        p = Math.fma(p, r, 1f / 24);
        p = Math.fma(p, r, 1f / 6);
        p = Math.fma(p, r, 0.5f);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        return p * Float.intBitsToFloat((Float.floatToRawIntBits(t) - (ROUNDER_BITS - 127)) << 23);
    }

    /**
     * The normaliser of a full row's log-softmax, as torch computes it in float32:
     * {@code lp[t] = (x[t] - max) - log(sum(exp(x - max)))}.
     */
    public static Normalizer normalizer(float[] row) {
        float m = max(row);
        return new Normalizer(m, (float) Math.log(sumExp(row, m)));
    }

    /**
     * The log-softmax of the values {@code v[0, n)} only (the others are {@code -inf}): the
     * normaliser of a masked row over its finite entries.
     */
    public static Normalizer normalizerOf(float[] v, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.max(m, v[i]);
        if (m == Float.NEGATIVE_INFINITY) return new Normalizer(m, Float.NaN);
        float s = 0f;
        for (int i = 0; i < n; i++) s += (float) Math.exp(v[i] - m);
        return new Normalizer(m, (float) Math.log(s));
    }

    /**
     * A row's log-softmax as a shift and a log-sum: {@code apply(x) = (x - max) - logSum}.
     *
     * @param max    the row maximum
     * @param logSum {@code log(sum(exp(x - max)))}
     */
    public record Normalizer(float max, float logSum) {
        /** {@code log_softmax} of one raw value of the row. */
        public float apply(float x) {
            return (x - max) - logSum;
        }
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
