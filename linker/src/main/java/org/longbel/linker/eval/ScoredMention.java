package org.longbel.linker.eval;

/**
 * One evaluable mention after the protocol's filtering.
 *
 * @param docId  page id (the bootstrap unit by default)
 * @param group  semantic group
 * @param hitAt1 whether the rank-1 code equals the gold code
 * @param hitAtK whether a code of rank at most K equals the gold code
 */
public record ScoredMention(String docId, String group, boolean hitAt1, boolean hitAtK) {
}
