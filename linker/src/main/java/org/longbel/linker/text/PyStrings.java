package org.longbel.linker.text;

/**
 * Python {@code str} operations with Python's exact semantics. Python indexes strings by code point
 * and its whitespace set ({@code str.isspace}, regex {@code \s}) differs from Java's: U+00A0 is
 * whitespace there, U+200B is not. Offsets in documents are Python indices, so slicing goes
 * through here.
 */
public final class PyStrings {
    private PyStrings() {
    }

    /** Python's {@code str.isspace} for one code point. */
    public static boolean isSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0B, '\f', '\r', 0x1C, 0x1D, 0x1E, 0x1F, ' ', 0x85, 0xA0, 0x1680,
                 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    /** Python's {@code s.strip()}. */
    public static String strip(String s) {
        return rstrip(lstrip(s));
    }

    /** Python's {@code s.lstrip()}. */
    public static String lstrip(String s) {
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (!isSpace(cp)) break;
            i += Character.charCount(cp);
        }
        return s.substring(i);
    }

    /** Python's {@code s.rstrip()}. */
    public static String rstrip(String s) {
        int j = s.length();
        while (j > 0) {
            int cp = s.codePointBefore(j);
            if (!isSpace(cp)) break;
            j -= Character.charCount(cp);
        }
        return s.substring(0, j);
    }

    /** Whether {@code s.strip()} would be empty. */
    public static boolean isBlank(String s) {
        return strip(s).isEmpty();
    }

    /** Length in code points ({@code len(s)}). */
    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /**
     * Python's {@code s[from:to]} for non-negative indices in code points, clamped to the string
     * like Python (an empty result when {@code to <= from}).
     */
    public static String slice(String s, int from, int to) {
        int n = length(s);
        int a = Math.max(0, Math.min(from, n));
        int b = Math.max(0, Math.min(to, n));
        if (b <= a) return "";
        int ia = s.offsetByCodePoints(0, a);
        int ib = s.offsetByCodePoints(ia, b - a);
        return s.substring(ia, ib);
    }

    /**
     * Python's {@code s[from:]} for a non-negative index in code points.
     */
    public static String sliceFrom(String s, int from) {
        return slice(s, from, Integer.MAX_VALUE);
    }
}
