package org.longbel.core.backend;

import java.util.Locale;

/** Which device runs the model: the CPU, a CUDA GPU, or CUDA when one is usable and the CPU otherwise. */
public enum Device {
    CPU, CUDA, AUTO;

    /** {@code cpu}, {@code cuda} or {@code auto}, any case; anything else is refused with the choices. */
    public static Device parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown device '" + text + "': use cpu, cuda or auto");
        }
    }

    @Override
    public String toString() { return name().toLowerCase(Locale.ROOT); }
}
