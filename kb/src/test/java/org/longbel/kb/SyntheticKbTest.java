package org.longbel.kb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticKbTest {
    @TempDir Path dir;

    @Test
    void writesDistinctNamesFromTheVocabularyDeterministically() throws IOException {
        ConceptTable vocab = TextToCodeJsonReader.read(TestKbs.fixtures().resolve("kb/umls_names_sample_text_to_code.json"));
        Set<String> words = new HashSet<>();
        for (String g : vocab.groups()) for (String n : vocab.names(g).keySet()) words.addAll(java.util.List.of(n.strip().split("\\s+")));
        SyntheticKb gen = new SyntheticKb(vocab);
        SyntheticKb.Summary s = gen.write(dir.resolve("a.json"), 20_003, 10, 42);
        gen.write(dir.resolve("b.json"), 20_003, 10, 42);
        assertEquals(-1, Files.mismatch(dir.resolve("a.json"), dir.resolve("b.json")), "same seed, same file");
        ConceptTable t = TextToCodeJsonReader.read(s.file());
        assertEquals(vocab.groups(), t.groups());
        assertEquals(20_003, t.size());
        assertEquals(0, t.conflicts() + t.duplicates());
        assertEquals(2001, t.names(vocab.groups().getFirst()).size());
        for (String g : t.groups()) {
            for (String n : t.names(g).keySet()) {
                for (String w : n.split(" ")) assertTrue(words.contains(w), w);
            }
        }
        assertTrue(s.codes() > 20_003 / 2 && s.codes() < 20_003 * 9 / 10, "some synonyms: " + s.codes());
    }
}
