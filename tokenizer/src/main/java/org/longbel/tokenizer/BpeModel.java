package org.longbel.tokenizer;

import java.util.Arrays;

/**
 * Byte-level BPE: a vocabulary of byte strings and ranked merges. A word (the UTF-8 bytes of one
 * pre-token) is first looked up whole when {@code ignore_merges} is set; otherwise it starts as one
 * symbol per byte and the lowest-ranked adjacent pair (leftmost on ties) is merged until none applies.
 * Pending merges sit in a binary heap keyed by (rank, position), so a word of n bytes costs O(n log n),
 * exactly as Hugging Face's {@code Word::merge_all}.
 */
final class BpeModel {
    private final BytesIntMap vocabByBytes;
    private final int[] byteToId = new int[256];
    private final LongIntMap mergeRanks;
    private final int[] mergeResult;
    private final boolean ignoreMerges;

    /**
     * @param file         the tokenizer.json it comes from, for messages
     * @param vocabByBytes every vocabulary token made only of byte characters, keyed by the bytes it stands for
     * @param merges       by rank, the triples (left id, right id, merged id)
     * @param mergeCount   number of merges
     * @param ignoreMerges look a whole word up in the vocabulary before merging
     */
    BpeModel(String file, BytesIntMap vocabByBytes, int[] merges, int mergeCount, boolean ignoreMerges) {
        this.vocabByBytes = vocabByBytes;
        this.ignoreMerges = ignoreMerges;
        this.mergeResult = new int[mergeCount];
        byte[] one = new byte[1];
        for (int b = 0; b < 256; b++) {
            one[0] = (byte) b;
            byteToId[b] = vocabByBytes.get(one, 0, 1);
            if (byteToId[b] < 0) {
                throw new TokenizerException(String.format(
                        "%s: model.vocab: the byte-level token for byte 0x%02X ('%c') is missing", file, b, ByteLevel.charOf(b)));
            }
        }
        mergeRanks = new LongIntMap(mergeCount);
        // Later duplicates win, like the HashMap Hugging Face collects the merges into.
        for (int rank = 0; rank < mergeCount; rank++) {
            mergeRanks.put(pair(merges[3 * rank], merges[3 * rank + 1]), rank);
            mergeResult[rank] = merges[3 * rank + 2];
        }
    }

    private static long pair(int left, int right) { return ((long) left << 32) | (right & 0xFFFFFFFFL); }

    /** Appends the ids of the word {@code bytes[0, length)} to {@code out}. */
    void encodeWord(byte[] bytes, int length, IntList out, Scratch scratch) {
        if (length == 0) return;
        if (length == 1) { out.add(byteToId[bytes[0] & 0xFF]); return; }
        if (ignoreMerges) {
            int id = vocabByBytes.get(bytes, 0, length);
            if (id >= 0) { out.add(id); return; }
        }
        if (length <= SCAN_MAX) mergeByScan(bytes, length, out, scratch);
        else merge(bytes, length, out, scratch);
    }

    /** Words up to this many bytes are merged by scanning the pairs instead of through the heap. */
    private static final int SCAN_MAX = 48;

    /**
     * The same merges as {@link #merge} for a short word: each round merges the live pair of lowest
     * rank, leftmost on ties (which is the heap's order), keeping each pair's rank in {@code rank[]}.
     */
    private void mergeByScan(byte[] bytes, int n, IntList out, Scratch s) {
        s.ensure(n);
        int[] sym = s.symbol, next = s.next, rank = s.prev;
        for (int i = 0; i < n; i++) {
            sym[i] = byteToId[bytes[i] & 0xFF];
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        for (int i = 0; i + 1 < n; i++) rank[i] = mergeRanks.get(pair(sym[i], sym[i + 1]));
        rank[n - 1] = -1;
        while (true) {
            int best = -1, bestRank = Integer.MAX_VALUE, before = -1, bestBefore = -1;
            for (int i = 0; i >= 0; before = i, i = next[i]) {
                int r = rank[i];
                if (r >= 0 && r < bestRank) { bestRank = r; best = i; bestBefore = before; }
            }
            if (best < 0) break;
            int right = next[best];
            sym[best] = mergeResult[bestRank];
            next[best] = next[right];
            rank[best] = next[best] >= 0 ? mergeRanks.get(pair(sym[best], sym[next[best]])) : -1;
            if (bestBefore >= 0) rank[bestBefore] = mergeRanks.get(pair(sym[bestBefore], sym[best]));
        }
        for (int i = 0; i >= 0; i = next[i]) out.add(sym[i]);
    }

    private void merge(byte[] bytes, int n, IntList out, Scratch s) {
        s.ensure(n);
        int[] sym = s.symbol, prev = s.prev, next = s.next;
        for (int i = 0; i < n; i++) {
            sym[i] = byteToId[bytes[i] & 0xFF];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        LongHeap heap = s.heap;
        heap.clear();
        for (int i = 0; i + 1 < n; i++) {
            int rank = mergeRanks.get(pair(sym[i], sym[i + 1]));
            if (rank >= 0) heap.push(((long) rank << 32) | i);
        }
        while (!heap.isEmpty()) {
            long top = heap.pop();
            int rank = (int) (top >>> 32);
            int pos = (int) top;
            if (sym[pos] < 0) continue;                 // merged into its left neighbour already
            int right = next[pos];
            if (right < 0) continue;
            if (mergeRanks.get(pair(sym[pos], sym[right])) != rank) continue; // stale entry
            sym[pos] = mergeResult[rank];
            sym[right] = -1;
            int after = next[right];
            next[pos] = after;
            if (after >= 0) prev[after] = pos;
            int before = prev[pos];
            if (before >= 0) {
                int r = mergeRanks.get(pair(sym[before], sym[pos]));
                if (r >= 0) heap.push(((long) r << 32) | before);
            }
            if (after >= 0) {
                int r = mergeRanks.get(pair(sym[pos], sym[after]));
                if (r >= 0) heap.push(((long) r << 32) | pos);
            }
        }
        for (int i = 0; i >= 0; i = next[i]) out.add(sym[i]);
    }

    /** Per-thread work arrays, grown on demand. */
    static final class Scratch {
        int[] symbol = new int[64], prev = new int[64], next = new int[64];
        final LongHeap heap = new LongHeap();

        void ensure(int n) {
            if (symbol.length < n) {
                int c = Math.max(n, symbol.length * 2);
                symbol = new int[c];
                prev = new int[c];
                next = new int[c];
            }
        }
    }

    /** A binary min-heap of longs. */
    static final class LongHeap {
        private long[] items = new long[64];
        private int size;

        void clear() { size = 0; }

        boolean isEmpty() { return size == 0; }

        void push(long v) {
            if (size == items.length) items = Arrays.copyOf(items, size * 2);
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (items[parent] <= v) break;
                items[i] = items[parent];
                i = parent;
            }
            items[i] = v;
        }

        long pop() {
            long top = items[0];
            long last = items[--size];
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                if (child + 1 < size && items[child + 1] < items[child]) child++;
                if (items[child] >= last) break;
                items[i] = items[child];
                i = child;
            }
            items[i] = last;
            return top;
        }
    }
}
