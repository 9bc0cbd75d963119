package org.longbel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalCommandTest {
    @TempDir
    Path dir;

    private static String row(String doc, String mention, String group, String gold, String pred, int rank) {
        return "{\"doc_id\":\"" + doc + "\",\"mention_id\":\"" + mention + "\",\"semantic_group\":\"" + group
                + "\",\"gold_concept_code\":" + (gold == null ? "null" : "\"" + gold + "\"")
                + ",\"pred_concept_code\":\"" + pred + "\",\"rank\":" + rank + "}\n";
    }

    private Path predictions() throws IOException {
        // hand-computed: 3 evaluable mentions; R@1 = 1/3 (A.1), R@2 = 2/3 (B.1 at rank 2)
        Path f = dir.resolve("pred.jsonl");
        Files.writeString(f, row("A", "A.1", "Disorders", "C1", "C1", 1) + row("A", "A.1", "Disorders", "C1", "C2", 2)
                + row("B", "B.1", "Disorders", "C4", "C5", 1) + row("B", "B.1", "Disorders", "C4", "C4", 2)
                + row("B", "B.2", "Anatomy", "C7", "C8", 1) + row("B", "B.2", "Anatomy", "C7", "C9", 2)
                + row("C", "C.1", "Anatomy", null, "C8", 1));
        return f;
    }

    @Test
    void jsonOnStdoutTableOnStderr() throws IOException {
        CliRun run = CliRun.of("eval", "--predictions", predictions().toString(), "--k", "2", "--bootstrap", "200");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertEquals(3, r.get("overall").get("mentions").asInt());
        assertEquals(1.0 / 3, r.get("overall").get("recall_at_1").get("value").asDouble(), 1e-12);
        assertEquals(2.0 / 3, r.get("overall").get("recall_at_2").get("value").asDouble(), 1e-12);
        assertEquals(0.5, r.get("groups").get("Disorders").get("recall_at_1").get("value").asDouble());
        assertEquals(0.0, r.get("groups").get("Anatomy").get("recall_at_2").get("value").asDouble());
        assertEquals(1, r.get("skipped_no_gold").asInt());
        assertEquals("documents", r.get("resample").asText());
        assertEquals(42, r.get("seed").asInt());
        double low = r.get("overall").get("recall_at_1").get("ci_low").asDouble();
        double high = r.get("overall").get("recall_at_1").get("ci_high").asDouble();
        assertTrue(0 <= low && low <= 1.0 / 3 && 1.0 / 3 <= high && high <= 1, low + " " + high);
        assertTrue(run.err().contains("overall") && run.err().contains("33.3"), run.err());
    }

    @Test
    void tableOnStdoutWhenAsked() throws IOException {
        CliRun run = CliRun.of("eval", "--predictions", predictions().toString(), "--k", "2", "--table",
                "--resample", "mentions");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("Recall@2"), run.out());
        assertTrue(run.out().contains("over mentions"), run.out());
    }

    @Test
    void badArgumentsAreOneLine() throws IOException {
        CliRun run = CliRun.of("eval", "--predictions", predictions().toString(), "--resample", "pages");
        assertEquals(1, run.exitCode());
        assertEquals("longbel: --resample must be documents or mentions, got 'pages'", run.err().strip());
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, row("A", "A.1", "Disorders", "C1", "C1", 1) + "{oops\n");
        run = CliRun.of("eval", "--predictions", bad.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("longbel: " + bad + ":2: malformed JSON"), run.err());
    }
}
