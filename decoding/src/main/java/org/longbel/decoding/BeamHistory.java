package org.longbel.decoding;

import java.util.Arrays;

/** What a running beam generated so far, with the per-token values the outputs need. Immutable. */
final class BeamHistory {

    static final BeamHistory EMPTY = new BeamHistory(new int[0], new float[0], new float[0], new int[0]);

    final int[] tokens;
    final float[] logprobs;
    final float[] renormalised;
    final int[] slots;

    private BeamHistory(int[] tokens, float[] logprobs, float[] renormalised, int[] slots) {
        this.tokens = tokens;
        this.logprobs = logprobs;
        this.renormalised = renormalised;
        this.slots = slots;
    }

    int length() {
        return tokens.length;
    }

    BeamHistory extend(int token, float logprob, float renorm, int slot) {
        int n = tokens.length;
        int[] t = Arrays.copyOf(tokens, n + 1);
        float[] l = Arrays.copyOf(logprobs, n + 1);
        float[] r = Arrays.copyOf(renormalised, n + 1);
        int[] s = Arrays.copyOf(slots, n + 1);
        t[n] = token;
        l[n] = logprob;
        r[n] = renorm;
        s[n] = slot;
        return new BeamHistory(t, l, r, s);
    }
}
