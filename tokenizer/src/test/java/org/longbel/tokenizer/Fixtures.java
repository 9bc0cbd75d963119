package org.longbel.tokenizer;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Locates the shared test fixtures and caches the tokenizers loaded from them. */
final class Fixtures {
    private static final Map<String, Tokenizer> LOADED = new ConcurrentHashMap<>();

    private Fixtures() {}

    static Path root() {
        String p = System.getProperty("longbel.fixtures");
        return Path.of(p != null ? p : "../../shared/fixtures");
    }

    static Path tokenizerDir(String name) { return root().resolve("tokenizer").resolve(name); }

    /** The tokenizer of {@code fixtures/tokenizer/<name>} (llama3 or longbel), loaded once per test run. */
    static Tokenizer tokenizer(String name) {
        return LOADED.computeIfAbsent(name, n -> Tokenizer.fromDirectory(tokenizerDir(n)));
    }
}
