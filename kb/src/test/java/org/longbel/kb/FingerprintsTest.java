package org.longbel.kb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintsTest {
    @TempDir Path dir;

    @Test
    void tokenizerFingerprintFollowsTheTokenizerFiles() throws IOException {
        Path tok = TestKbs.fixtures().resolve("tokenizer");
        String longbel = Fingerprints.tokenizer(tok.resolve("longbel"));
        assertEquals(longbel, Fingerprints.tokenizer(tok.resolve("longbel/tokenizer.json")));
        assertEquals(longbel, Fingerprints.tokenizer(TestKbs.fixtures().resolve("models/tiny-llama32")), "same files, same fingerprint");
        assertNotEquals(longbel, Fingerprints.tokenizer(tok.resolve("llama3")));
        // tokenizer_config.json takes part (it decides BOS, EOS and special tokens): without it the fingerprint differs
        Files.copy(tok.resolve("longbel/tokenizer.json"), dir.resolve("tokenizer.json"));
        assertNotEquals(longbel, Fingerprints.tokenizer(dir));
        assertThrows(KbException.class, () -> Fingerprints.tokenizer(dir.resolve("absent")));
    }

    @Test
    void sourceFileIdentity() throws IOException {
        Path f = TestKbs.write(dir, "a.tsv", "C1\tHeart\tAnatomy\n");
        TrieFileMetadata.SourceFile recorded = Fingerprints.sourceFile(f);
        assertTrue(Fingerprints.unchanged(recorded));
        TestKbs.write(dir, "a.tsv", "C1\tHeart\tAnatomy\n");
        assertTrue(Fingerprints.unchanged(recorded), "rewritten with the same bytes");
        TestKbs.write(dir, "a.tsv", "C2\tHeart\tAnatomy\n");
        assertFalse(Fingerprints.unchanged(recorded), "same size, other bytes");
        Files.delete(f);
        assertFalse(Fingerprints.unchanged(recorded));
    }
}
