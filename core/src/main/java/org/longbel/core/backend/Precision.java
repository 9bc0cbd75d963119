package org.longbel.core.backend;

import java.util.Locale;

/**
 * The number format of the activations that enter a matrix product on a GPU: {@code fp32}, or {@code bf16} (half
 * the traffic, tensor cores at full rate, about 3 significant digits). Accumulation is float32 either way, and
 * everything outside the products (norms, softmax, attention, the KV cache) stays float32. The CPU backend always
 * computes in float32.
 */
public enum Precision {
    FP32, BF16;

    /** {@code fp32} or {@code bf16}, any case; anything else is refused with the choices. */
    public static Precision parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown precision '" + text + "': use fp32 or bf16");
        }
    }

    @Override
    public String toString() { return name().toLowerCase(Locale.ROOT); }
}
