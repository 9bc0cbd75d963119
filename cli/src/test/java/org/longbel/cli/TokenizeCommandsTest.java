package org.longbel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code longbel tokenize} and {@code longbel detokenize} on LongBEL's tokenizer. */
class TokenizeCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = CliRun.fixtures().resolve("models/tiny-llama32").toString();

    @Test
    void tokenizeText() {
        CliRun run = CliRun.of("tokenize", "--model", MODEL, "--text", "Poids [corporel]{Anatomy}");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("{\"ids\":[128000,47,17390,220,58,81827,461,75,60,90,2127,41895,92]}", run.out().strip());
        CliRun noBos = CliRun.of("tokenize", "--model", MODEL, "--text", "Poids [corporel]{Anatomy}", "--no-bos");
        assertEquals("{\"ids\":[47,17390,220,58,81827,461,75,60,90,2127,41895,92]}", noBos.out().strip());
    }

    @Test
    void tokenizeJsonLinesFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("in.jsonl");
        Files.writeString(file, "{\"text\": \"Hello world\"}\n{\"text\": \"\"}\n{\"text\": \"<+>\", \"id\": 3}\n");
        CliRun run = CliRun.of("tokenize", "--model", MODEL, "--file", file.toString(), "--no-bos");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(java.util.List.of("{\"ids\":[9906,1917]}", "{\"ids\":[]}", "{\"ids\":[128256]}"), run.out().lines().toList());
    }

    @Test
    void tokenizeErrorsAreOneLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("in.jsonl");
        Files.writeString(file, "{\"text\": \"ok\"}\n{\"txt\": 1}\n");
        CliRun run = CliRun.of("tokenize", "--model", MODEL, "--file", file.toString());
        assertEquals(1, run.exitCode());
        assertEquals("", run.out());
        assertTrue(run.err().contains("line 2") && run.err().contains("\"text\""), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());

        CliRun missing = CliRun.of("tokenize", "--model", dir.toString(), "--text", "x");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("tokenizer.json: file not found"), missing.err());

        CliRun both = CliRun.of("tokenize", "--model", MODEL, "--text", "x", "--file", file.toString());
        assertEquals(2, both.exitCode());
    }

    @Test
    void detokenize() throws Exception {
        CliRun run = CliRun.of("detokenize", "--model", MODEL, "--ids", "128000,47,17390,220,58,81827,461,75,60");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("<|begin_of_text|>Poids [corporel]", JSON.readTree(run.out()).get("text").textValue());
        CliRun skip = CliRun.of("detokenize", "--model", MODEL, "--ids", "128000, 47,17390", "--skip-special");
        assertEquals("Poids", JSON.readTree(skip.out()).get("text").textValue());
        CliRun clean = CliRun.of("detokenize", "--model", MODEL, "--ids", "47,17390,662", "--clean-up-spaces");
        assertEquals("Poids.", JSON.readTree(clean.out()).get("text").textValue());
    }

    @Test
    void detokenizeRejectsBadIds() {
        CliRun outside = CliRun.of("detokenize", "--model", MODEL, "--ids", "1,999999");
        assertEquals(1, outside.exitCode());
        assertTrue(outside.err().contains("999999") && outside.err().contains("outside the vocabulary"), outside.err());
        CliRun notInt = CliRun.of("detokenize", "--model", MODEL, "--ids", "1,x");
        assertEquals(1, notInt.exitCode());
        assertTrue(notInt.err().contains("'x'"), notInt.err());
    }
}
