package org.longbel.kb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextToCodeJsonReaderTest {
    @TempDir Path dir;

    @Test
    void readsGroupsInOrderAndCleansNames() {
        Path f = TestKbs.write(dir, "t.json", "{\"B\": {\"x [1]\": \"C1\", \"y\": \"C2\"}, \"A\": {\"z\\u00a0w\": \"C3\"}}");
        ConceptTable t = TextToCodeJsonReader.read(f);
        assertEquals(List.of("B", "A"), t.groups());
        assertEquals(List.of("x (1)", "y"), List.copyOf(t.names("B").keySet()));
        assertEquals("C3", t.names("A").get("z w"));
        assertEquals(3, t.size());
    }

    @Test
    void laterCodeWinsAndConflictsAreCounted() {
        Path f = TestKbs.write(dir, "t.json", "{\"G\": {\"a\": \"C1\", \"b\": \"C2\", \"a\": \"C9\", \"b\": \"C2\", \"a [x]\": \"C3\", \"a (x)\": \"C4\"}}");
        ConceptTable t = TextToCodeJsonReader.read(f);
        assertEquals(List.of("a", "b", "a (x)"), List.copyOf(t.names("G").keySet()));
        assertEquals("C9", t.names("G").get("a"));
        assertEquals("C4", t.names("G").get("a (x)"));
        assertEquals(2, t.conflicts());
        assertEquals(1, t.duplicates());
        ConceptTable.Conflict c = t.conflictExamples().getFirst();
        assertEquals("C1", c.droppedCode());
        assertEquals("C9", c.keptCode());
        assertTrue(c.where().startsWith(f + ":1:"), c.where());
    }

    @Test
    void malformedJsonNamesFileLineAndColumn() {
        Path f = TestKbs.write(dir, "bad.json", "{\n  \"G\": {\n    \"a\": \"C1\",\n    \"b\" \"C2\"\n  }\n}\n");
        KbException e = assertThrows(KbException.class, () -> TextToCodeJsonReader.read(f));
        assertTrue(e.getMessage().startsWith(f + ":4:"), e.getMessage());
        assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
    }

    @Test
    void wrongShapeIsReported() {
        Path f = TestKbs.write(dir, "shape.json", "{\"G\": {\"a\": 12}}");
        KbException e = assertThrows(KbException.class, () -> TextToCodeJsonReader.read(f));
        assertTrue(e.getMessage().contains(f + ":1:") && e.getMessage().contains("code of \"a\" must be a string"), e.getMessage());
        Path g = TestKbs.write(dir, "shape2.json", "[1]");
        assertTrue(assertThrows(KbException.class, () -> TextToCodeJsonReader.read(g)).getMessage().contains("top level must be an object"));
    }

    @Test
    void emptyNameIsRejected() {
        Path f = TestKbs.write(dir, "e.json", "{\"G\": {\n\"\": \"C1\"}}");
        KbException e = assertThrows(KbException.class, () -> TextToCodeJsonReader.read(f));
        assertTrue(e.getMessage().startsWith(f + ":2:") && e.getMessage().contains("empty concept name"), e.getMessage());
    }

    @Test
    void blankGroupNameIsRejectedEvenWhenEmpty() {
        Path f = TestKbs.write(dir, "e.json", "{\"G\": {\"a\": \"C1\"},\n \" \": {}}");
        KbException e = assertThrows(KbException.class, () -> TextToCodeJsonReader.read(f));
        assertTrue(e.getMessage().startsWith(f + ":2:") && e.getMessage().contains("empty semantic group name"), e.getMessage());
    }

    @Test
    void nameThatCleansToBlankIsRejected() {
        Path f = TestKbs.write(dir, "e.json", "{\"G\": {\"\\u00a0\\u00a0\": \"C1\"}}");
        KbException e = assertThrows(KbException.class, () -> TextToCodeJsonReader.read(f));
        assertTrue(e.getMessage().contains("blank after cleaning") && e.getMessage().contains("\\u00A0"), e.getMessage());
    }

    @Test
    void repeatedGroupIsRejected() {
        Path f = TestKbs.write(dir, "g.json", "{\"G\": {\"a\": \"C1\"},\n \"G\": {\"b\": \"C2\"}}");
        KbException e = assertThrows(KbException.class, () -> TextToCodeJsonReader.read(f));
        assertTrue(e.getMessage().startsWith(f + ":2:") && e.getMessage().contains("group \"G\" appears twice"), e.getMessage());
    }

    @Test
    void badCharacterOfAUtf32FileIsAKbException() throws java.io.IOException {
        // a UTF-32 byte-order mark makes Jackson decode UTF-32, whose bad characters it reports without a location
        Path f = java.nio.file.Files.write(dir.resolve("utf32.json"), new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF, 0, 0, 0, '{', 0x7F, -1, -1, -1});
        KbException e = assertThrows(KbException.class, () -> TextToCodeJsonReader.read(f));
        assertTrue(e.getMessage().startsWith(f + ": malformed JSON: Invalid UTF-32 character"), e.getMessage());
    }
}
