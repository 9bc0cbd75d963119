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
        int previous = firstEdge.getAtIndex(INT, 0);
        if (previous != 0) fail(TrieFileFormat.FIRST_EDGE, 0, previous, "the root's edges must start at 0");
        for (int n = 1; n <= nodes; n++) {
            int first = firstEdge.getAtIndex(INT, n);
            if (first < previous || first > edges) {
                fail(TrieFileFormat.FIRST_EDGE, n, first, "must lie in [" + previous + ", " + edges + "] (the previous value, the edge count)");
            }
            if (n < nodes && first < n) {
                fail(TrieFileFormat.FIRST_EDGE, n, first, "node " + n + "'s edges must start at " + n + " or later (children follow their parent)");
            }
            for (int e = previous; e < first; e++) {
                int token = edgeToken.getAtIndex(INT, e);
                if (token < 0 || (e > previous && token <= edgeToken.getAtIndex(INT, e - 1))) {
                    fail(TrieFileFormat.EDGE_TOKEN, e, token, "tokens must be non-negative and ascending among node " + (n - 1) + "'s children");
                }
            }
            previous = first;
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
    private void offsets(String section, MemorySegment offsets, int count, long end, String endIs) {
        int previous = offsets.getAtIndex(INT, 0);
        if (previous != 0) fail(section, 0, previous, "must be 0");
        for (int i = 1; i <= count; i++) {
            int at = offsets.getAtIndex(INT, i);
            if (at < previous || at > end) fail(section, i, at, "must lie in [" + previous + ", " + end + "] (the previous value, " + endIs + ")");
            previous = at;
        }
        if (previous != end) fail(section, count, previous, "must be " + end + ", " + endIs);
    }

    /** {@code count} values, each in [0, bound). */
    private void inRange(String section, MemorySegment values, int count, int bound, String what) {
        for (int i = 0; i < count; i++) {
            int v = values.getAtIndex(INT, i);
            if (v < 0 || v >= bound) fail(section, i, v, "is not " + what + " in [0, " + bound + ")");
        }
    }

    /** {@code count} distinct values in [0, count). */
    private void permutation(String section, MemorySegment values, int count) {
        long[] seen = new long[(count + 63) >>> 6];
        for (int i = 0; i < count; i++) {
            int v = values.getAtIndex(INT, i);
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
}
