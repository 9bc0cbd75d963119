package org.longbel.linker.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longbel.linker.Fixtures;
import org.longbel.linker.document.Page;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BigBioReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsTheCraftedArray() {
        List<Page> pages = new BigBioReader().read(Fixtures.path("examples/crafted_pages.json"));
        assertEquals(List.of("crafted-001", "crafted-003", "crafted-002"), pages.stream().map(Page::id).toList());
        Page first = pages.getFirst();
        assertEquals("doc-crafted-A", first.documentId());
        assertEquals(4, first.passages().size());
        assertEquals(69, first.passages().get(1).start());
        assertEquals(16, first.entities().size());
        assertEquals(2, first.entities().get(4).offsets().size());
        assertEquals(2, first.entities().get(8).normalized().size());
        assertTrue(first.entities().get(3).normalized().isEmpty()); // no 'normalized' key
    }

    @Test
    void readsJsonLines() throws IOException {
        Path f = dir.resolve("pages.jsonl");
        Files.writeString(f, """
                {"id": "a", "passages": [{"text": ["pain"], "offsets": [[0, 4]]}], "entities": [{"id": "T1", "type": "Disorders", "text": ["pain"], "offsets": [[0, 4]], "normalized": [{"db_name": "UMLS", "db_id": "C1"}]}]}

                {"id": "b", "passages": [], "entities": []}
                """);
        List<Page> pages = new BigBioReader().read(f);
        assertEquals(2, pages.size());
        assertNull(pages.getFirst().entities().getFirst().normalized().getFirst().dbMatch());
        assertNull(pages.getFirst().documentId());
    }

    @Test
    void malformedJsonLineNamesFileAndLine() throws IOException {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"id\": \"a\", \"passages\": [], \"entities\": []}\n{\"id\": \"b\", \"passages\": [\n");
        InputException e = assertThrows(InputException.class, () -> new BigBioReader().read(f));
        assertTrue(e.getMessage().startsWith(f + ":2: malformed JSON"), e.getMessage());
    }

    @Test
    void malformedArrayNamesTheLine() throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "[\n  {\"id\": \"a\", \"passages\": []},\n  {\"id\": \"b\",, }\n]\n");
        InputException e = assertThrows(InputException.class, () -> new BigBioReader().read(f));
        assertTrue(e.getMessage().startsWith(f + ":3"), e.getMessage());
        assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
    }

    @Test
    void missingFieldsNameDocumentEntityAndField() throws IOException {
        Path f = dir.resolve("fields.jsonl");
        Files.writeString(f, "{\"id\": \"doc7\", \"passages\": [{\"text\": [\"x\"], \"offsets\": [[0, 1]]}], "
                + "\"entities\": [{\"id\": \"T3\", \"text\": [\"x\"], \"offsets\": [[0, 1]]}]}\n");
        InputException e = assertThrows(InputException.class, () -> new BigBioReader().read(f));
        assertEquals(f + ":1: document 'doc7', entity 'T3': field 'type' (the semantic group) is missing", e.getMessage());

        Files.writeString(f, "{\"id\": \"doc7\", \"entities\": [{\"id\": \"T3\", \"type\": \"Disorders\", "
                + "\"text\": [\"x\"], \"offsets\": [[0, \"one\"]]}]}\n");
        e = assertThrows(InputException.class, () -> new BigBioReader().read(f));
        assertTrue(e.getMessage().startsWith(f + ":1: document 'doc7', entity 'T3': field 'offsets'"), e.getMessage());
    }
    @Test
    void twoPagesOnOneJsonLinesLineAreAnErrorNamingTheLine() throws IOException {
        Path f = dir.resolve("two.jsonl");
        Files.writeString(f, "{\"id\": \"a\"}\n\n{\"id\": \"b\"} {\"id\": \"c\"}\n");
        InputException e = assertThrows(InputException.class, () -> new BigBioReader().read(f));
        assertTrue(e.getMessage().startsWith(f + ":3: malformed JSON"), e.getMessage());
    }

    @Test
    void byteOrderMarkBeforeAnArray() throws IOException {
        Path f = dir.resolve("bom.json");
        Files.writeString(f, "\uFEFF[{\"id\": \"a\", \"passages\": [], \"entities\": []}]\n");
        assertEquals("a", new BigBioReader().read(f).getFirst().id());
        Path g = dir.resolve("bom.jsonl");
        Files.writeString(g, "\uFEFF{\"id\": \"a\"}\n");
        assertEquals("a", new BigBioReader().read(g).getFirst().id());
    }

    @Test
    void deepNestingOnAJsonLinesLineIsMalformedJsonNamingTheLine() throws IOException {
        Path f = dir.resolve("deep.jsonl");
        Files.writeString(f, "{\"id\": \"a\"}\n{\"id\": \"x\", \"passages\": " + "[".repeat(3000) + "\n");
        InputException e = assertThrows(InputException.class, () -> new BigBioReader().read(f)); // was a NullPointerException
        assertTrue(e.getMessage().startsWith(f + ":2: malformed JSON"), e.getMessage());
    }

    @Test
    void moreThan64kCharactersOfWhiteSpaceBeforeTheArray() throws IOException {
        Path f = dir.resolve("spaces.json");
        Files.writeString(f, "\n".repeat(70_000) + "[{\"id\": \"a\"}]"); // the format look-ahead once lost its mark
        assertEquals("a", new BigBioReader().read(f).getFirst().id());
    }

    @Test
    void fieldsOfTheWrongTypeAndInvalidUtf8AreInputErrors() throws IOException {
        Path f = dir.resolve("types.json");
        Files.writeString(f, "[{\"id\": \"a\"},\n {\"passages\": []}]");
        assertEquals(f + ":2: page 2 has no field 'id'",
                assertThrows(InputException.class, () -> new BigBioReader().read(f)).getMessage());
        Files.writeString(f, "[{\"id\": {\"x\": 1}}]");
        assertEquals(f + ":1: page 1: field 'id' must be a string, got object",
                assertThrows(InputException.class, () -> new BigBioReader().read(f)).getMessage());
        Files.writeString(f, "[{\"id\": \"a\\nb\", \"entities\": [7]}]");
        assertEquals(f + ":1: document 'a\\nb', entity #1 is not a JSON object",
                assertThrows(InputException.class, () -> new BigBioReader().read(f)).getMessage());
        Files.write(f, new byte[]{'[', '{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, '(', '"', '}', ']'});
        assertEquals(f + ":1: invalid UTF-8 at byte offset 8 (the file must be UTF-8 text)",
                assertThrows(InputException.class, () -> new BigBioReader().read(f)).getMessage());
    }
}
