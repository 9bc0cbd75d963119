package org.longbel.kb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared test helpers: the fixtures folder, a fake tokenizer, small files. */
final class TestKbs {
    private TestKbs() {}

    static final int BOS = 0x110001;
    static final int EOS = 0x110002;

    /** One token per code point, BOS first: distinct names get distinct sequences, like a real BPE. */
    static final NameEncoder CODE_POINTS = new NameEncoder() {
        @Override public int[] encodeWithSpecialTokens(String text) {
            return java.util.stream.IntStream.concat(java.util.stream.IntStream.of(BOS), text.codePoints()).toArray();
        }
        @Override public int bosId() { return BOS; }
        @Override public int eosId() { return EOS; }
    };

    static Path fixtures() {
        String p = System.getProperty("longbel.fixtures");
        return Path.of(p != null ? p : "../../shared/fixtures");
    }

    static Path write(Path dir, String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds {@code source} into {@code dir/kb.trie} with the fake tokenizer and opens it. */
    static KnowledgeBase build(Path dir, Path source) {
        Path trie = dir.resolve("kb.trie");
        new KbLoader(CODE_POINTS, "fake-tokenizer-1").build(KbSource.detect(source), trie);
        return KnowledgeBase.open(trie);
    }
}
