package org.longbel.linker;

import org.longbel.linker.document.Page;

import java.util.List;

/**
 * The results of one page, in mention order.
 *
 * @param page     the page
 * @param mentions its mentions with their ranked predictions (empty for a page without entities)
 */
public record PageResult(Page page, List<MentionResult> mentions) {
    public PageResult {
        mentions = List.copyOf(mentions);
    }
}
