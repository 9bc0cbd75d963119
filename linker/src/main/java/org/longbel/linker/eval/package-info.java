/**
 * The paper's evaluation protocol (reference spec §8): Recall@1 and Recall@K overall and per
 * semantic group, with percentile bootstrap confidence intervals.
 */
package org.longbel.linker.eval;
