package org.longbel.linker.document;

/**
 * A passage of a page: its text and where it lies in document coordinates.
 * Offsets count Unicode code points, like Python string indices.
 *
 * @param text  the passage text (first element of BigBio's {@code text} list)
 * @param start document offset of the first character (inclusive)
 * @param end   document offset after the last character (exclusive)
 */
public record Passage(String text, int start, int end) {

    /** Whether a document offset lies in {@code [start, end)}. */
    public boolean containsStart(int offset) {
        return start <= offset && offset < end;
    }
}
