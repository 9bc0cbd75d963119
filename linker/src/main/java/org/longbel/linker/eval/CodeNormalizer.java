package org.longbel.linker.eval;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Composite codes compared as sets: split on {@code +}, trim, sort, join (reference spec §8). */
public final class CodeNormalizer {
    private CodeNormalizer() {
    }

    /**
     * Python's {@code "+".join(sorted(c.strip() for c in code.split("+")))}: empty pieces are kept
     * (Java's {@code split} would drop trailing ones), so {@code "C1+"} stays different from {@code "C1"}.
     */
    public static String normalize(String code) {
        if (code == null) return null;
        return Arrays.stream(code.split("\\+", -1)).map(String::strip).sorted().collect(Collectors.joining("+"));
    }
}
