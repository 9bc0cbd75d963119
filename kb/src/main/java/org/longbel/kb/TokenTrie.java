package org.longbel.kb;

/**
 * A read-only prefix trie over token sequences (one per semantic group). Nodes are ints;
 * {@link #root()} is the empty prefix. Children of a node are sorted by token id ascending.
 * Queries never allocate, so a decoding step can walk it for every beam.
 */
public interface TokenTrie {

    /** Returned by {@link #child} when the token does not continue the prefix. */
    int NO_NODE = -1;

    /** The node of the empty prefix. */
    int root();

    /** The node reached from {@code node} by {@code token}, or {@link #NO_NODE}. */
    int child(int node, int token);

    /** Number of children of {@code node}. */
    int childCount(int node);

    /** Token of the {@code index}-th child of {@code node} (ascending token order). */
    int childToken(int node, int index);

    /**
     * Copies the tokens of all children of {@code node}, ascending, into {@code dest} from {@code offset};
     * {@code dest} must have room for {@link #childCount} of them.
     *
     * @return the number of tokens written
     */
    default int childTokens(int node, int[] dest, int offset) {
        int n = childCount(node);
        for (int i = 0; i < n; i++) dest[offset + i] = childToken(node, i);
        return n;
    }

    /**
     * Index of the concept entry whose token sequence ends exactly at {@code node} (a leaf reached
     * after the end-of-sequence token), or -1. Resolve it with the knowledge base of the group.
     */
    int entryAt(int node);

    /** Walks {@code tokens[from, to)} from the root; {@link #NO_NODE} if the prefix is absent. */
    default int find(int[] tokens, int from, int to) {
        int node = root();
        for (int i = from; i < to && node != NO_NODE; i++) node = child(node, tokens[i]);
        return node;
    }
}
