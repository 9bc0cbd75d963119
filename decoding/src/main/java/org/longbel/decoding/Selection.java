package org.longbel.decoding;

/**
 * The new running slots after a step: slot i continues old slot {@code parents[i]} with {@code tokens[i]}.
 * A driver forks the KV sequence of {@code parents[i]} for every i, appends {@code tokens[i]}, and frees
 * the old sequences no new slot continues.
 */
public record Selection(int[] parents, int[] tokens) {

    /** Number of new running slots. */
    public int size() {
        return parents.length;
    }
}
