package org.longbel.kb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsvReaderTest {
    @TempDir Path dir;

    @Test
    void readsWithAndWithoutHeader() {
        Path a = TestKbs.write(dir, "a.tsv", "code\tname\tgroup\nC1\tHeart\tAnatomy\r\nC2\tFever\tDisorders\n\nC1\tCor\tAnatomy\n");
        Path b = TestKbs.write(dir, "b.tsv", "C1\tHeart\tAnatomy\nC2\tFever\tDisorders\nC1\tCor\tAnatomy\n");
        for (Path p : List.of(a, b)) {
            ConceptTable t = TsvReader.read(p);
            assertEquals(List.of("Anatomy", "Disorders"), t.groups());
            assertEquals(List.of("Heart", "Cor"), List.copyOf(t.names("Anatomy").keySet()));
            assertEquals("C2", t.names("Disorders").get("Fever"));
        }
    }

    @Test
    void codeWithoutNameNamesTheLine() {
        Path f = TestKbs.write(dir, "c.tsv", "C1\tHeart\tAnatomy\nC2\t\tAnatomy\n");
        KbException e = assertThrows(KbException.class, () -> TsvReader.read(f));
        assertEquals(f + ":2: code \"C2\" has no name (column 2 is empty)", e.getMessage());
    }

    @Test
    void wrongColumnCountNamesTheLine() {
        Path f = TestKbs.write(dir, "c.tsv", "C1\tHeart\tAnatomy\nC2 Fever Disorders\n");
        KbException e = assertThrows(KbException.class, () -> TsvReader.read(f));
        assertEquals(f + ":2: expected 3 tab-separated columns (code, name, group), found 1", e.getMessage());
    }

    @Test
    void nameThatCleansToBlankNamesTheLine() {
        Path f = TestKbs.write(dir, "c.tsv", "C1\t\u00A0\tAnatomy\n");
        KbException e = assertThrows(KbException.class, () -> TsvReader.read(f));
        assertTrue(e.getMessage().startsWith(f + ":1: ") && e.getMessage().contains("blank after cleaning"), e.getMessage());
    }

    @Test
    void invalidUtf8NamesTheLineAndByteOffset() throws java.io.IOException {
        Path f = java.nio.file.Files.write(dir.resolve("latin1.tsv"), "C1\tHeart\tAnatomy\r\nC2\tcaf\u00e9\tDisorders\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        KbException e = assertThrows(KbException.class, () -> TsvReader.read(f));
        assertEquals(f + ":2: invalid UTF-8: byte 0xE9 at byte offset 24 of the file does not start a valid UTF-8 sequence"
                + " (save the file as UTF-8)", e.getMessage());
    }
}
