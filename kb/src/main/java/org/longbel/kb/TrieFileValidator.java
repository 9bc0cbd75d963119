package org.longbel.kb;

import static org.longbel.kb.TrieFileFormat.INT;
import static org.longbel.kb.TrieFileFormat.LONG;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Checks, when a trie file is opened, that one group's mapped arrays (already sized by their counts) hold
 * values every query can trust: the trie is a breadth-first tree (each node's edges follow its own number, so
 * walks end), children are sorted, entry ranks match the entry bits, and every offset, code id and entry
 * number lies inside its table. The checksum catches accidental damage; this catches a file that was written
 * wrong, so that no query on an opened file reads outside an array, loops or returns an entry that does not
 * exist. One pass over the arrays; allocates one bit per entry.
 */
final class TrieFileValidator {
    private final Path file;
    private final String group;

    private TrieFileValidator(Path file, String group) {
        this.file = file;
        this.group = group;
    }

    /** Checks the trie arrays of a group of {@code nodes} nodes and {@code entries} entries. */
    static void trie(Path file, String group, int nodes, int entries, MemorySegment firstEdge, MemorySegment edgeToken,
                     MemorySegment entryBits, MemorySegment entryRank) {
        TrieFileValidator v = new TrieFileValidator(file, group);
        v.edges(nodes, firstEdge, edgeToken);
        v.entryBits(nodes, entries, entryBits, entryRank);
    }

    /** Checks the name and code tables of a group of {@code entries} entries and {@code codes} distinct codes. */
    static void tables(Path file, String group, int entries, int codes, MemorySegment nameOffsets, MemorySegment nameBytes,
                       MemorySegment nameOrder, MemorySegment entryCode, MemorySegment codeOffsets, MemorySegment codeBytes,
                       MemorySegment codeFirst, MemorySegment codeEntries) {
        TrieFileValidator v = new TrieFileValidator(file, group);
        v.offsets(TrieFileFormat.NAME_OFFSETS, nameOffsets, entries, nameBytes.byteSize(), "the size of " + TrieFileFormat.NAME_BYTES);
        v.permutation(TrieFileFormat.NAME_ORDER, nameOrder, entries);
        v.inRange(TrieFileFormat.ENTRY_CODE, entryCode, entries, codes, "a code id");
        v.offsets(TrieFileFormat.CODE_OFFSETS, codeOffsets, codes, codeBytes.byteSize(), "the size of " + TrieFileFormat.CODE_BYTES);
        v.offsets(TrieFileFormat.CODE_FIRST, codeFirst, codes, entries, "the entry count");
        v.inRange(TrieFileFormat.CODE_ENTRIES, codeEntries, entries, entries, "an entry number");
    }

    /**
     * firstEdge: starts at 0, never decreases, ends at nodes - 1 (every edge belongs to one node), and node n's
     * edges start at n or later (edge e leads to node e + 1, so every child is numbered after its parent);
     * edgeToken: non-negative, strictly ascending within each node (children are binary-searched).
     */
    private void edges(int nodes, MemorySegment firstEdge, MemorySegment edgeToken) {
        int edges = nodes - 1;
        Ints first = new Ints(firstEdge), tokens = new Ints(edgeToken);
        int previous = first.get(0);
        if (previous != 0) fail(TrieFileFormat.FIRST_EDGE, 0, previous, "the root's edges must start at 0");
        for (int n = 1; n <= nodes; n++) {
            int next = first.get(n);
            if (next < previous || next > edges) {
                fail(TrieFileFormat.FIRST_EDGE, n, next, "must lie in [" + previous + ", " + edges + "] (the previous value, the edge count)");
            }
            if (n < nodes && next < n) {
                fail(TrieFileFormat.FIRST_EDGE, n, next, "node " + n + "'s edges must start at " + n + " or later (children follow their parent)");
            }
            int last = -1;
            for (int e = previous; e < next; e++) {
                int token = tokens.get(e);
                if (token <= last) {
                    fail(TrieFileFormat.EDGE_TOKEN, e, token, "tokens must be non-negative and ascending among node " + (n - 1) + "'s children");
                }
                last = token;
            }
            previous = next;
        }
        if (previous != edges) fail(TrieFileFormat.FIRST_EDGE, nodes, previous, "must be the edge count " + edges);
    }

    /** entryRank[w] counts the bits set before word w; no bit past the last node; {@code entries} bits in all. */
    private void entryBits(int nodes, int entries, MemorySegment entryBits, MemorySegment entryRank) {
        long words = entryBits.byteSize() / Long.BYTES;
        long count = 0;
        for (long w = 0; w < words; w++) {
            int rank = entryRank.getAtIndex(INT, w);
            if (rank != count) fail(TrieFileFormat.ENTRY_RANK, w, rank, "must be " + count + ", the entries before it");
            long word = entryBits.getAtIndex(LONG, w);
            long beyond = w * 64 + 64 - nodes;   // bits of this word past the last node
            if (beyond > 0 && (word >>> (64 - beyond)) != 0) {
                fail(TrieFileFormat.ENTRY_BITS, w, word, "marks an entry past the last node " + (nodes - 1));
            }
            count += Long.bitCount(word);
        }
        if (count != entries) {
            throw damaged(TrieFileFormat.ENTRY_BITS + " marks " + count + " entries, the group has " + entries);
        }
    }

    /** {@code count + 1} offsets from 0, never decreasing, ending at {@code end} (described by {@code endIs}). */
    private void offsets(String section, MemorySegment segment, int count, long end, String endIs) {
        Ints offsets = new Ints(segment);
        int previous = offsets.get(0);
        if (previous != 0) fail(section, 0, previous, "must be 0");
        for (int i = 1; i <= count; i++) {
            int at = offsets.get(i);
            if (at < previous || at > end) fail(section, i, at, "must lie in [" + previous + ", " + end + "] (the previous value, " + endIs + ")");
            previous = at;
        }
        if (previous != end) fail(section, count, previous, "must be " + end + ", " + endIs);
    }

    /** {@code count} values, each in [0, bound). */
    private void inRange(String section, MemorySegment segment, int count, int bound, String what) {
        Ints values = new Ints(segment);
        for (int i = 0; i < count; i++) {
            int v = values.get(i);
            if (v < 0 || v >= bound) fail(section, i, v, "is not " + what + " in [0, " + bound + ")");
        }
    }

    /** {@code count} distinct values in [0, count). */
    private void permutation(String section, MemorySegment segment, int count) {
        Ints values = new Ints(segment);
        long[] seen = new long[(count + 63) >>> 6];
        for (int i = 0; i < count; i++) {
            int v = values.get(i);
            if (v < 0 || v >= count) fail(section, i, v, "is not an entry number in [0, " + count + ")");
            if ((seen[v >>> 6] & (1L << v)) != 0) fail(section, i, v, "repeats an entry");
            seen[v >>> 6] |= 1L << v;
        }
    }

    private void fail(String section, long index, long value, String what) {
        throw damaged(section + "[" + index + "] = " + value + " " + what);
    }

    private KbException damaged(String what) {
        return new KbException("trie file " + file + " is damaged: group \"" + group + "\": " + what + ": rebuild it with `longbel kb build`");
    }

    /**
     * Reads a mapped int array in order through a heap buffer: one bulk copy per block instead of a checked
     * access per element (the check then costs a fraction of the checksum's pass).
     */
    private static final class Ints {
        private static final int BLOCK = 1 << 13;
        private final MemorySegment segment;
        private final long length;
        private final int[] block = new int[BLOCK];
        private long start = -BLOCK;

        Ints(MemorySegment segment) {
            this.segment = segment;
            this.length = segment.byteSize() / Integer.BYTES;
        }

        int get(long i) {
            long at = i - start;
            if (at < 0 || at >= BLOCK) {
                start = i;
                MemorySegment.copy(segment, INT, i * Integer.BYTES, block, 0, (int) Math.min(BLOCK, length - i));
                at = 0;
            }
            return block[(int) at];
        }
    }
}
