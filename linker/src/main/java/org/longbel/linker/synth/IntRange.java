package org.longbel.linker.synth;

import java.util.SplittableRandom;

/**
 * An inclusive range of counts {@code [min, max]}, written {@code N} (a fixed count) or {@code MIN-MAX}.
 *
 * @param min smallest value (at least 0)
 * @param max largest value (at least {@code min})
 */
public record IntRange(int min, int max) {
    public IntRange {
        if (min < 0) throw new IllegalArgumentException("a count cannot be negative, got " + min);
        if (max < min) throw new IllegalArgumentException("range " + min + "-" + max + " ends before it starts");
    }

    /** The range holding only {@code n}. */
    public static IntRange of(int n) {
        return new IntRange(n, n);
    }

    /**
     * Parses {@code N} or {@code MIN-MAX} (spaces around the numbers allowed).
     *
     * @throws IllegalArgumentException for anything else, with a message quoting {@code text}
     */
    public static IntRange parse(String text) {
        String s = text == null ? "" : text.strip();
        int dash = s.indexOf('-', 1);
        try {
            if (dash < 0) return of(Integer.parseInt(s));
            return new IntRange(Integer.parseInt(s.substring(0, dash).strip()), Integer.parseInt(s.substring(dash + 1).strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a count N or a range MIN-MAX, got '" + text + "'");
        }
    }

    /** A value drawn uniformly from the range. */
    public int draw(SplittableRandom rnd) {
        return min == max ? min : rnd.nextInt(min, max + 1);
    }

    /** Whether {@code n} lies in the range. */
    public boolean contains(double n) {
        return min <= n && n <= max;
    }

    @Override
    public String toString() {
        return min == max ? Integer.toString(min) : min + "-" + max;
    }
}
