package org.longbel.core.backend;

/**
 * cos and sin of the rotary angles {@code positions[r] * invFreq[i]} for every row of a batch, laid out
 * {@code [rows, headDim / 2]}. Computed once per forward and shared by the queries and keys of every layer.
 *
 * @param cos  cos of each angle, float32 as Hugging Face computes it
 * @param sin  sin of each angle
 * @param half {@code headDim / 2}: the number of frequencies
 */
public record RopeAngles(float[] cos, float[] sin, int half) {

    /** The angles of {@code positions} for the inverse frequencies {@code invFreq}. */
    public static RopeAngles of(int[] positions, float[] invFreq) {
        int half = invFreq.length;
        float[] cos = new float[positions.length * half], sin = new float[positions.length * half];
        for (int r = 0; r < positions.length; r++) {
            for (int i = 0; i < half; i++) {
                float angle = positions[r] * invFreq[i];
                cos[r * half + i] = (float) Math.cos(angle);
                sin[r * half + i] = (float) Math.sin(angle);
            }
        }
        return new RopeAngles(cos, sin, half);
    }
}
