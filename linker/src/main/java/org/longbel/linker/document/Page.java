package org.longbel.linker.document;

import java.util.List;

/**
 * One BigBio-KB-like page. Everything the linker emits keys on {@link #id()} (doc_id, memory,
 * mention_id), not on {@link #documentId()}, as the reference does.
 *
 * @param id         page id ({@code id})
 * @param documentId {@code document_id}, may be null
 * @param passages   passages in input order
 * @param entities   entities in input order
 */
public record Page(String id, String documentId, List<Passage> passages, List<Entity> entities) {
    public Page {
        passages = List.copyOf(passages);
        entities = List.copyOf(entities);
    }
}
