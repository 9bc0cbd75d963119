package org.longbel.linker.prompt;

/**
 * One mention to link, in the reference's order within its page.
 *
 * @param docId     the page id
 * @param mentionId {@code <page id>.<k>}, k from 1 in (start, end) order
 * @param entityId  id of the entity it came from (messages only), may be null
 * @param text      the cleaned mention text ({@code clean(" ".join(entity.text))})
 * @param group     the semantic group ({@code entity.type})
 * @param start     global start (smallest fragment start)
 * @param end       global end (largest fragment end)
 * @param context   the marked passage with the other passages around it
 * @param target    {@code [mention]{group}}
 * @param goldCode  first {@code normalized} entry's {@code db_id}, or null
 * @param goldName  first {@code normalized} entry's {@code db_match}, or null
 */
public record Mention(String docId, String mentionId, String entityId, String text, String group,
                      int start, int end, String context, String target, String goldCode, String goldName) {

    /** This mention with another mention id. */
    public Mention withMentionId(String id) {
        return new Mention(docId, id, entityId, text, group, start, end, context, target, goldCode, goldName);
    }
}
