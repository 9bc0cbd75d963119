package org.longbel.linker.document;

/**
 * A half-open range {@code [start, end)} of document offsets (code points).
 *
 * @param start first offset (inclusive)
 * @param end   offset after the last character (exclusive)
 */
public record Span(int start, int end) {
}
