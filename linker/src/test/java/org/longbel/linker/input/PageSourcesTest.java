package org.longbel.linker.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PageSourcesTest {
    private static final String PAGE = "{\"id\": \"%s\", \"passages\": [{\"text\": [\"pain\"], \"offsets\": [[0, 4]]}], "
            + "\"entities\": [{\"id\": \"T1\", \"type\": \"Disorders\", \"text\": [\"pain\"], \"offsets\": [[0, %d]]}]}";

    @TempDir
    Path dir;

    @Test
    void validationMessagesNameTheLineWhereThePageStarts() throws IOException {
        Path f = dir.resolve("pages.jsonl");
        Files.writeString(f, PAGE.formatted("a", 4) + "\n\n" + PAGE.formatted("a", 4) + "\n" + PAGE.formatted("a", 9) + "\n");
        List<String> warnings = new ArrayList<>();
        InputException e = assertThrows(InputException.class,
                () -> PageSources.read(f, InputFormat.AUTO, SemanticGroupMapping.st21pv(), warnings::add));
        assertEquals(f + ":4: document 'a', entity 'T1', field 'offsets[0]' [0, 9]: runs past the end of the text "
                + "(offset 4)", e.getMessage());
        assertEquals(List.of(f + ":3: document 'a' appears more than once (first on line 1); each occurrence is linked "
                + "with its own memory and the same mention ids"), warnings);
    }

    @Test
    void pubTatorDocumentsAreLocatedByTheirFirstLine() throws IOException {
        Path f = dir.resolve("docs.txt");
        Files.writeString(f, "1|t|abc\n1|a|def\n\n2|t|pain\n2|a|x\n2\t0\t9\tpain\tT033\tC1\n");
        InputException e = assertThrows(InputException.class,
                () -> PageSources.read(f, InputFormat.AUTO, SemanticGroupMapping.st21pv(), w -> { }));
        assertEquals(f + ":4: document '2', entity 'T1', field 'offsets[0]' [0, 9]: runs past the end of the text "
                + "(offset 6)", e.getMessage());
    }
}
