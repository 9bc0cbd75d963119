package org.longbel.linker.input;

/**
 * Values from a user's file as they appear in one-line messages: quoted, line breaks and other control characters
 * escaped (a document id {@code "a\nb"} must not split an error message), and long values cut short.
 */
public final class MessageText {
    /** Code points of a value shown before it is cut short. */
    static final int MAX_SHOWN = 80;

    private MessageText() {
    }

    /** {@code value} in single quotes, escaped and at most {@value #MAX_SHOWN} code points long (then "..."). */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_SHOWN) + 8).append('\'');
        int shown = 0;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (shown == MAX_SHOWN) {
                out.append("...");
                break;
            }
            switch (cp) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029
                            || Character.getType(cp) == Character.SURROGATE) {
                        out.append(String.format("\\u%04X", cp));
                    } else {
                        out.appendCodePoint(cp);
                    }
                }
            }
            shown++;
            i += Character.charCount(cp);
        }
        return out.append('\'').toString();
    }
}
