package org.longbel.kb;

/**
 * The reference's clean-up of knowledge-base names (reference spec §1 and §5): U+00A0 becomes a space,
 * {@code [} and {@code {} become {@code (}, {@code ]} and {@code }} become {@code )}. Newlines are
 * left alone in KB names (unlike document text, where the reference also turns them into spaces).
 */
public final class NameCleaner {
    private NameCleaner() {}

    /** The cleaned name; returns the same instance when nothing changes. */
    public static String clean(String name) {
        int i = 0;
        while (i < name.length() && !needsCleaning(name.charAt(i))) i++;
        if (i == name.length()) return name;
        char[] chars = name.toCharArray();
        for (; i < chars.length; i++) {
            chars[i] = switch (chars[i]) {
                case '\u00A0' -> ' ';
                case '[', '{' -> '(';
                case ']', '}' -> ')';
                default -> chars[i];
            };
        }
        return new String(chars);
    }

    private static boolean needsCleaning(char c) {
        return c == '\u00A0' || c == '[' || c == '{' || c == ']' || c == '}';
    }
}
