package org.longbel.linker.eval;

/**
 * Recall@1 and Recall@K of one semantic group, or of everything ({@code group} = {@code "overall"}).
 *
 * @param group    the group name
 * @param mentions mentions evaluated
 * @param at1      Recall@1
 * @param atK      Recall@K
 */
public record GroupRecall(String group, int mentions, Recall at1, Recall atK) {
}
