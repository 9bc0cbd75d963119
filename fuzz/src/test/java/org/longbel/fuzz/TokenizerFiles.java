package org.longbel.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Scratch directories for the tokenizer targets: a tokenizer is loaded from {@code tokenizer.json} and its sibling
 * {@code tokenizer_config.json}, so each target writes into a directory of its own, next to the scratch files of
 * {@link FuzzSupport}.
 */
final class TokenizerFiles {

    private TokenizerFiles() {}

    /** The directory {@code name} in the fuzz scratch directory, created on first use. */
    static Path directory(String name) {
        try {
            Path dir = FuzzSupport.write(".scratch-probe", new byte[0]).resolveSibling(name);
            Files.createDirectories(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The small Llama-3-shaped tokenizer.json of the resources ({@code mini-tokenizer/tokenizer.json}): the 256 byte
     * tokens, 13 merges, LongBEL's special tokens, the Llama-3 pipeline.
     */
    static byte[] miniTokenizerJson() {
        try (InputStream in = TokenizerFiles.class.getResourceAsStream("mini-tokenizer/tokenizer.json")) {
            if (in == null) throw new IllegalStateException("resource mini-tokenizer/tokenizer.json is missing");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
