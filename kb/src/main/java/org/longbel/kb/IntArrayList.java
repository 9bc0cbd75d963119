package org.longbel.kb;

import java.util.Arrays;

/** A growable list of primitive ints (no boxing), for building trie arrays. */
final class IntArrayList {
    private int[] values;
    private int size;

    IntArrayList(int capacity) {
        values = new int[Math.max(capacity, 16)];
    }

    void add(int v) {
        if (size == values.length) values = Arrays.copyOf(values, Math.max(16, values.length + (values.length >> 1)));
        values[size++] = v;
    }

    int get(int i) {
        return values[i];
    }

    int size() {
        return size;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
