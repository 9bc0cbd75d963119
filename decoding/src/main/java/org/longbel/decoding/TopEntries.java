package org.longbel.decoding;

/**
 * The best {@code capacity} entries (value, index) seen so far, sorted: higher value first, lower
 * index first among equal values. Used where the reference's order is random anyway (sampling draws,
 * the top-k warper's threshold); deterministic selections follow {@link TorchTopK}.
 */
final class TopEntries {

    private final float[] values;
    private final int[] indices;
    private int size;

    TopEntries(int capacity) {
        values = new float[capacity];
        indices = new int[capacity];
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    boolean isFull() {
        return size == values.length;
    }

    float value(int rank) {
        return values[rank];
    }

    int index(int rank) {
        return indices[rank];
    }

    /** The value an entry must beat (strictly, at a higher index) to enter; {@code -inf} while not full. */
    float threshold() {
        return isFull() ? values[size - 1] : Float.NEGATIVE_INFINITY;
    }

    static boolean better(float v1, int i1, float v2, int i2) {
        return v1 > v2 || (v1 == v2 && i1 < i2);
    }

    /** Offers one entry; NaN values are treated like {@code -inf}. */
    void offer(float value, int index) {
        if (Float.isNaN(value)) value = Float.NEGATIVE_INFINITY;
        int pos = size;
        if (isFull()) {
            if (!better(value, index, values[size - 1], indices[size - 1])) return;
            pos = size - 1;
        } else {
            size++;
        }
        while (pos > 0 && better(value, index, values[pos - 1], indices[pos - 1])) {
            values[pos] = values[pos - 1];
            indices[pos] = indices[pos - 1];
            pos--;
        }
        values[pos] = value;
        indices[pos] = index;
    }
}
