package org.longbel.kb;

import static org.longbel.kb.TrieFileFormat.INT;
import static org.longbel.kb.TrieFileFormat.LONG;

import java.lang.foreign.MemorySegment;

/**
 * A {@link TokenTrie} read straight from the mapped arrays of a trie file (see {@link TrieArrays} for
 * the breadth-first layout): a child lookup is a binary search over the node's sorted edge tokens.
 * No method allocates.
 */
final class MappedTokenTrie implements TokenTrie {
    private final MemorySegment firstEdge;
    private final MemorySegment edgeToken;
    private final MemorySegment entryBits;
    private final MemorySegment entryRank;
    private final int nodeCount;

    MappedTokenTrie(int nodeCount, MemorySegment firstEdge, MemorySegment edgeToken, MemorySegment entryBits,
                    MemorySegment entryRank) {
        this.nodeCount = nodeCount;
        this.firstEdge = firstEdge;
        this.edgeToken = edgeToken;
        this.entryBits = entryBits;
        this.entryRank = entryRank;
    }

    @Override
    public int root() {
        return 0;
    }

    @Override
    public int child(int node, int token) {
        int lo = firstEdge.getAtIndex(INT, node);
        int hi = firstEdge.getAtIndex(INT, node + 1) - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int t = edgeToken.getAtIndex(INT, mid);
            if (t < token) lo = mid + 1;
            else if (t > token) hi = mid - 1;
            else return mid + 1;
        }
        return NO_NODE;
    }

    @Override
    public int childCount(int node) {
        return firstEdge.getAtIndex(INT, node + 1) - firstEdge.getAtIndex(INT, node);
    }

    @Override
    public int childToken(int node, int index) {
        return edgeToken.getAtIndex(INT, firstEdge.getAtIndex(INT, node) + index);
    }

    @Override
    public int childTokens(int node, int[] dest, int offset) {
        int first = firstEdge.getAtIndex(INT, node);
        int count = firstEdge.getAtIndex(INT, node + 1) - first;
        MemorySegment.copy(edgeToken, INT, (long) first * Integer.BYTES, dest, offset, count);
        return count;
    }

    @Override
    public int entryAt(int node) {
        long word = entryBits.getAtIndex(LONG, node >>> 6);
        long bit = 1L << (node & 63);
        if ((word & bit) == 0) return -1;
        return entryRank.getAtIndex(INT, node >>> 6) + Long.bitCount(word & (bit - 1));
    }

    /** Number of nodes, the root included. */
    int nodeCount() {
        return nodeCount;
    }
}
