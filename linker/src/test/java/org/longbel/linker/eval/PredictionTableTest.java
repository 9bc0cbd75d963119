package org.longbel.linker.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longbel.linker.input.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PredictionTableTest {
    private static final String RECORD = "{\"doc_id\": \"d\", \"mention_id\": \"d.1\", \"semantic_group\": \"Disorders\", "
            + "\"gold_concept_code\": \"C1\", \"pred_concept_code\": \"C1\", \"rank\": %s}";

    @TempDir
    Path dir;

    private String error(String content) throws IOException {
        Path f = dir.resolve("p.jsonl");
        Files.writeString(f, content);
        return assertThrows(InputException.class, () -> PredictionTable.read(f, 5)).getMessage()
                .replace(f.toString(), "p.jsonl");
    }

    @Test
    void byteOrderMarkCrlfAndAWholeFloatRank() throws IOException {
        Path f = dir.resolve("ok.jsonl");
        Files.writeString(f, "\uFEFF" + RECORD.formatted("1.0") + "\r\n" + RECORD.formatted("2") + "\r\n");
        PredictionTable t = PredictionTable.read(f, 5);
        assertEquals(1, t.mentions().size());
        assertEquals(true, t.mentions().getFirst().hitAt1());
    }

    @Test
    void ranksThatAreNotWholeNumbersFromOneAreErrors() throws IOException {
        for (String rank : new String[]{"0", "-1", "1.5", "\"1\"", "1e300", "9223372036854775808"}) {
            String m = error(RECORD.formatted(rank) + "\n");
            assertEquals("p.jsonl:1: field 'rank' must be a whole number from 1 to 2147483647, got ", 
                    m.substring(0, m.lastIndexOf("got ") + 4), rank);
        }
    }

    @Test
    void aSecondRecordOnALineAndNonStringFieldsAreErrors() throws IOException {
        assertEquals("p.jsonl:1: malformed JSON: ", error(RECORD.formatted("1") + " " + RECORD.formatted("2"))
                .substring(0, "p.jsonl:1: malformed JSON: ".length()));
        assertEquals("p.jsonl:2: field 'doc_id' must be a string, got object",
                error(RECORD.formatted("1") + "\n" + RECORD.formatted("1").replace("\"d\",", "{},") + "\n"));
    }
}
