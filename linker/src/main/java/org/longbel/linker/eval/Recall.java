package org.longbel.linker.eval;

/**
 * A recall figure with its bootstrap interval.
 *
 * @param hits     mentions found
 * @param mentions mentions evaluated
 * @param value    hits / mentions (NaN when no mention)
 * @param low      2.5th percentile of the bootstrap replicates (NaN without bootstrap)
 * @param high     97.5th percentile of the bootstrap replicates (NaN without bootstrap)
 */
public record Recall(int hits, int mentions, double value, double low, double high) {
}
