package org.longbel.linker.input;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Input file formats, and detection of the format from the file's first non-blank character. */
public enum InputFormat {
    /** Decide from the content: {@code [} or <code>{</code> starts BigBio JSON, a digit-led PubTator line otherwise. */
    AUTO,
    /** BigBio-KB-like pages: a JSON array or JSON Lines (one page object per line). */
    BIGBIO,
    /** PubTator: {@code PMID|t|title}, {@code PMID|a|abstract}, tab-separated annotation lines. */
    PUBTATOR;

    /** The concrete format of {@code file}: this one, or the detected one for {@link #AUTO}. */
    public InputFormat resolve(Path file) {
        if (this != AUTO) return this;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\uFEFF' || Character.isWhitespace(c)) continue;
                return c == '[' || c == '{' ? BIGBIO : PUBTATOR;
            }
            return BIGBIO;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
