package org.longbel.linker.document;

import java.util.List;

/**
 * An annotated mention of a page: one or more fragments (discontinuous entities have several).
 *
 * @param id         entity id (used in messages only), may be null
 * @param type       the semantic group (BigBio {@code type}), e.g. {@code Disorders}
 * @param texts      the fragment texts ({@code text} list)
 * @param offsets    the fragment spans, in input order
 * @param normalized gold concepts; the first entry is the gold one; empty when absent
 */
public record Entity(String id, String type, List<String> texts, List<Span> offsets,
                     List<Normalization> normalized) {
    public Entity {
        texts = List.copyOf(texts);
        offsets = List.copyOf(offsets);
        normalized = List.copyOf(normalized);
    }

    /** The smallest start of the fragments: the entity's global start. */
    public int globalStart() {
        return offsets.stream().mapToInt(Span::start).min().orElseThrow();
    }

    /** The largest end of the fragments: the entity's global end. */
    public int globalEnd() {
        return offsets.stream().mapToInt(Span::end).max().orElseThrow();
    }
}
