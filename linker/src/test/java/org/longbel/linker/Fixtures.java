package org.longbel.linker;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared test fixtures (system property {@code longbel.fixtures}, else beside the checkout). */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path root() {
        String prop = System.getProperty("longbel.fixtures");
        Path p = prop != null ? Path.of(prop) : Path.of("../../shared/fixtures");
        if (!Files.isDirectory(p)) throw new IllegalStateException("fixtures not found at " + p.toAbsolutePath());
        return p;
    }

    public static Path path(String relative) {
        return root().resolve(relative);
    }

    public static Path tinyModel() {
        return path("models/tiny-llama32");
    }
}
