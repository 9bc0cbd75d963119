package org.longbel.kb;

/**
 * One group's trie as flat arrays, nodes numbered breadth-first with the children of each node in
 * ascending token order. Breadth-first numbering makes the children of a node consecutive node ids,
 * so an edge index is also its child's node id minus one and no child-pointer array is needed:
 * <ul>
 *   <li>{@code firstEdge[n] .. firstEdge[n+1]}: the edges (children) of node {@code n}; length nodes + 1;</li>
 *   <li>{@code edgeToken[e]}: the token of edge {@code e}, leading to node {@code e + 1};</li>
 *   <li>{@code entryBits}: bit {@code n} set when a concept's sequence ends at node {@code n};</li>
 *   <li>{@code entryRank[w]}: the number of set bits in words {@code 0 .. w-1}, so the entry of node
 *       {@code n} is its rank among entry nodes: entries are numbered in node order;</li>
 *   <li>{@code entrySource[k]}: the index, in the builder's input order, of entry {@code k}.</li>
 * </ul>
 *
 * @param collisions input sequences dropped because a later one was identical (never seen with a BPE tokenizer)
 */
record TrieArrays(int nodeCount, int[] firstEdge, int[] edgeToken, long[] entryBits, int[] entryRank,
                  int[] entrySource, long collisions) {

    int entryCount() {
        return entrySource.length;
    }
}
