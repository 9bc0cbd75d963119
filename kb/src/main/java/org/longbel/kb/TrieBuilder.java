package org.longbel.kb;

import java.util.Arrays;

/**
 * Builds the breadth-first flat trie ({@link TrieArrays}) of a group from its token sequences: sort
 * the sequences, then create one trie level per token position. Within a level, sequences that share
 * a parent and a token are adjacent in sorted order and share a node. Memory: a few ints per sequence.
 */
final class TrieBuilder {
    private TrieBuilder() {}

    static TrieArrays build(TrieSequences seqs) {
        int m = seqs.size();
        int[] active = sortedOrder(seqs);
        int[] nodeOf = new int[m];             // node reached by each sequence so far (0 = root)
        int[] endNode = new int[m];
        IntArrayList edgeToken = new IntArrayList(m * 4);
        IntArrayList edgeParent = new IntArrayList(m * 4);
        int nodeCount = 1;
        int activeCount = m;
        for (int depth = 0; activeCount > 0; depth++) {
            int kept = 0, prevParent = -1, prevToken = -1, prevNode = -1;
            for (int k = 0; k < activeCount; k++) {
                int i = active[k];
                if (seqs.length(i) == depth) {
                    endNode[i] = nodeOf[i];
                    continue;
                }
                int token = seqs.token(i, depth);
                if (token < 0) throw new KbException("negative token id " + token + " in the sequence of entry " + i);
                int parent = nodeOf[i];
                if (parent != prevParent || token != prevToken) {
                    if (nodeCount == Integer.MAX_VALUE) throw new KbException("trie exceeds 2^31 nodes; split the group");
                    prevNode = nodeCount++;
                    edgeToken.add(token);
                    edgeParent.add(parent);
                    prevParent = parent;
                    prevToken = token;
                }
                nodeOf[i] = prevNode;
                active[kept++] = i;
            }
            activeCount = kept;
        }
        return finish(nodeCount, edgeToken.toArray(), edgeParent, endNode);
    }

    private static int[] sortedOrder(TrieSequences seqs) {
        Integer[] boxed = new Integer[seqs.size()];
        for (int i = 0; i < boxed.length; i++) boxed[i] = i;
        Arrays.sort(boxed, seqs::compare);            // stable: identical sequences keep input order
        int[] order = new int[boxed.length];
        for (int i = 0; i < order.length; i++) order[i] = boxed[i];
        return order;
    }

    private static TrieArrays finish(int nodeCount, int[] edgeToken, IntArrayList edgeParent, int[] endNode) {
        int[] firstEdge = new int[nodeCount + 1];
        for (int e = 0; e < edgeParent.size(); e++) firstEdge[edgeParent.get(e) + 1]++;
        for (int n = 0; n < nodeCount; n++) firstEdge[n + 1] += firstEdge[n];

        // The entry of each end node: the latest input sequence ending there (dict semantics).
        int[] sourceAtNode = new int[nodeCount];
        Arrays.fill(sourceAtNode, -1);
        long collisions = 0;
        for (int i = 0; i < endNode.length; i++) {
            if (sourceAtNode[endNode[i]] >= 0) collisions++;
            sourceAtNode[endNode[i]] = i;
        }
        long[] bits = new long[(nodeCount + 63) >>> 6];
        int[] rank = new int[bits.length];
        int[] entrySource = new int[endNode.length - (int) collisions];
        int entries = 0;
        for (int n = 0; n < nodeCount; n++) {
            if ((n & 63) == 0) rank[n >>> 6] = entries;
            if (sourceAtNode[n] >= 0) {
                bits[n >>> 6] |= 1L << (n & 63);
                entrySource[entries++] = sourceAtNode[n];
            }
        }
        return new TrieArrays(nodeCount, firstEdge, edgeToken, bits, rank, entrySource, collisions);
    }
}
