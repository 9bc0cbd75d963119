package org.longbel.kb;

/**
 * A position in a {@link TokenTrie} that advances one token at a time, for a decoding loop: reuse one
 * cursor per beam and call {@link #reset} or {@link #advance}. Never allocates. Not thread-safe.
 */
public final class TrieCursor {
    private final TokenTrie trie;
    private int node;

    /** A cursor at the root of {@code trie}. */
    public TrieCursor(TokenTrie trie) {
        this.trie = trie;
        this.node = trie.root();
    }

    /** Back to the empty prefix. */
    public TrieCursor reset() {
        node = trie.root();
        return this;
    }

    /** Moves to the node of {@code tokens[from, to)} walked from the root (possibly off the trie). */
    public TrieCursor resetTo(int[] tokens, int from, int to) {
        node = trie.find(tokens, from, to);
        return this;
    }

    /**
     * Follows {@code token}. Returns false, and leaves the cursor off the trie, when the token does
     * not continue the prefix (or the cursor was already off the trie).
     */
    public boolean advance(int token) {
        if (node != TokenTrie.NO_NODE) node = trie.child(node, token);
        return node != TokenTrie.NO_NODE;
    }

    /** Whether the prefix walked so far is in the trie. */
    public boolean onTrie() {
        return node != TokenTrie.NO_NODE;
    }

    /** The current node, or {@link TokenTrie#NO_NODE}. */
    public int node() {
        return node;
    }

    /** Number of allowed next tokens (0 off the trie). */
    public int allowedCount() {
        return node == TokenTrie.NO_NODE ? 0 : trie.childCount(node);
    }

    /** Writes the allowed next tokens (ascending) into {@code dest} from 0; returns how many. */
    public int allowed(int[] dest) {
        return node == TokenTrie.NO_NODE ? 0 : trie.childTokens(node, dest, 0);
    }

    /** The concept entry whose sequence ends here, or -1. */
    public int entry() {
        return node == TokenTrie.NO_NODE ? -1 : trie.entryAt(node);
    }
}
