package org.longbel.tokenizer;

import java.util.Arrays;

/**
 * An immutable-after-build hash map from byte sequences to non-negative ints (open addressing, linear
 * probing). Lookups take a slice of a caller's buffer, so encoding a word allocates nothing.
 */
final class BytesIntMap {
    private int[] slots;          // index into keys/values + 1; 0 = empty
    private int mask;
    private byte[] data = new byte[1 << 16];
    private int dataLength;
    private int[] keyStart = new int[1024];
    private int[] keyLength = new int[1024];
    private int[] values = new int[1024];
    private int[] hashes = new int[1024];
    private int size;

    BytesIntMap(int expectedSize) {
        int capacity = Integer.highestOneBit(Math.max(16, expectedSize * 2 - 1)) << 1;
        slots = new int[capacity];
        mask = capacity - 1;
    }

    /** Adds the key {@code key[0, length)}, which must not be present yet. */
    void put(byte[] key, int length, int value) {
        if ((size + 1) * 2 > slots.length) rehash(slots.length * 2);
        if (size == values.length) {
            int n = size * 2;
            keyStart = Arrays.copyOf(keyStart, n);
            keyLength = Arrays.copyOf(keyLength, n);
            values = Arrays.copyOf(values, n);
            hashes = Arrays.copyOf(hashes, n);
        }
        if (dataLength + length > data.length) data = Arrays.copyOf(data, Math.max(data.length * 2, dataLength + length));
        System.arraycopy(key, 0, data, dataLength, length);
        keyStart[size] = dataLength;
        keyLength[size] = length;
        values[size] = value;
        hashes[size] = hash(key, 0, length);
        dataLength += length;
        insert(size, hashes[size]);
        size++;
    }

    /** The value of {@code buf[off, off+len)}, or -1. */
    int get(byte[] buf, int off, int len) {
        int hash = hash(buf, off, len);
        int slot = hash & mask;
        while (true) {
            int entry = slots[slot] - 1;
            if (entry < 0) return -1;
            if (hashes[entry] == hash && keyLength[entry] == len && sameBytes(keyStart[entry], buf, off, len)) {
                return values[entry];
            }
            slot = (slot + 1) & mask;
        }
    }

    private boolean sameBytes(int start, byte[] buf, int off, int len) {
        if (len > 16) return Arrays.equals(data, start, start + len, buf, off, off + len);
        for (int i = 0; i < len; i++) if (data[start + i] != buf[off + i]) return false;
        return true;
    }

    private void insert(int entry, int hash) {
        int slot = hash & mask;
        while (slots[slot] != 0) slot = (slot + 1) & mask;
        slots[slot] = entry + 1;
    }

    private void rehash(int capacity) {
        slots = new int[capacity];
        mask = capacity - 1;
        for (int e = 0; e < size; e++) insert(e, hashes[e]);
    }

    private static int hash(byte[] buf, int off, int len) {
        int h = 0x9E3779B9 ^ len;
        for (int i = off, end = off + len; i < end; i++) h = 31 * h + buf[i];
        // murmur3's finalizer, so that the low bits used for the slot depend on every byte
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }
}
