package org.longbel.linker.eval;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Composite codes compared as sets: split on {@code +}, trim, sort, join (reference spec §8). */
public final class CodeNormalizer {
    private CodeNormalizer() {
    }

    public static String normalize(String code) {
        if (code == null) return null;
        return Arrays.stream(code.split("\\+")).map(String::trim).sorted().collect(Collectors.joining("+"));
    }
}
