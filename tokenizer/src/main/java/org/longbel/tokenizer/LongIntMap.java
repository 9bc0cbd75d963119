package org.longbel.tokenizer;

import java.util.Arrays;

/**
 * A hash map from non-negative long keys to int values (open addressing, linear probing), used for
 * merge pairs -> rank. Key and value share one array, so a lookup touches a single cache line.
 */
final class LongIntMap {
    private static final long EMPTY = -1L;
    private long[] table; // [2 * slot] = key, [2 * slot + 1] = value
    private int mask;
    private int size;

    LongIntMap(int expectedSize) {
        int capacity = Integer.highestOneBit(Math.max(16, expectedSize * 2 - 1)) << 1;
        allocate(capacity);
    }

    private void allocate(int capacity) {
        table = new long[2 * capacity];
        for (int i = 0; i < table.length; i += 2) table[i] = EMPTY;
        mask = capacity - 1;
    }

    /** Sets the value of {@code key} (>= 0), replacing an earlier one. */
    void put(long key, int value) {
        if ((size + 1) * 2 > mask + 1) grow();
        int slot = slot(key);
        while (table[2 * slot] != EMPTY && table[2 * slot] != key) slot = (slot + 1) & mask;
        if (table[2 * slot] == EMPTY) size++;
        table[2 * slot] = key;
        table[2 * slot + 1] = value;
    }

    /** The value of {@code key}, or -1. */
    int get(long key) {
        int slot = slot(key);
        while (true) {
            long k = table[2 * slot];
            if (k == key) return (int) table[2 * slot + 1];
            if (k == EMPTY) return -1;
            slot = (slot + 1) & mask;
        }
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & mask;
    }

    private void grow() {
        long[] old = table;
        allocate((mask + 1) * 2);
        size = 0;
        for (int i = 0; i < old.length; i += 2) if (old[i] != EMPTY) put(old[i], (int) old[i + 1]);
    }
}
