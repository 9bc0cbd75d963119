package org.longbel.decoding;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.longbel.kb.TokenTrie;

/** A small in-memory {@link TokenTrie} for tests: node i's children in a sorted map. */
final class MapTrie implements TokenTrie {

    private final List<TreeMap<Integer, Integer>> children = new ArrayList<>();
    private final List<Integer> entries = new ArrayList<>();

    MapTrie() {
        newNode();
    }

    /** A trie holding each sequence (entry index = position in the list). */
    static MapTrie of(List<int[]> sequences) {
        MapTrie trie = new MapTrie();
        for (int i = 0; i < sequences.size(); i++) trie.add(sequences.get(i), i);
        return trie;
    }

    void add(int[] sequence, int entry) {
        int node = 0;
        for (int token : sequence) {
            Integer next = children.get(node).get(token);
            if (next == null) {
                next = newNode();
                children.get(node).put(token, next);
            }
            node = next;
        }
        entries.set(node, entry);
    }

    private int newNode() {
        children.add(new TreeMap<>());
        entries.add(-1);
        return children.size() - 1;
    }

    @Override
    public int root() {
        return 0;
    }

    @Override
    public int child(int node, int token) {
        Integer next = children.get(node).get(token);
        return next == null ? NO_NODE : next;
    }

    @Override
    public int childCount(int node) {
        return children.get(node).size();
    }

    @Override
    public int childToken(int node, int index) {
        int i = 0;
        for (int token : children.get(node).keySet()) {
            if (i++ == index) return token;
        }
        throw new IndexOutOfBoundsException(index);
    }

    @Override
    public int entryAt(int node) {
        return entries.get(node);
    }
}
