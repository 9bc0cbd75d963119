package org.longbel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code longbel kb build} and {@code longbel kb stats} on the crafted KB with LongBEL's tokenizer. */
class KbCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = CliRun.fixtures().resolve("models/tiny-llama32").toString();
    private static final String KB = CliRun.fixtures().resolve("kb/crafted_text_to_code.json").toString();

    @Test
    void buildThenStats(@TempDir Path dir) throws Exception {
        Path trie = dir.resolve("crafted.trie");
        CliRun build = CliRun.of("kb", "build", "--model", MODEL, "--kb", KB, "--out", trie.toString(), "--threads", "2");
        assertEquals(0, build.exitCode(), build.err());
        JsonNode built = JSON.readTree(build.out());
        assertEquals(8, built.get("groups").asInt());
        assertEquals(34, built.get("entries").asInt());
        assertEquals(Files.size(trie), built.get("file_bytes").asLong());

        CliRun stats = CliRun.of("kb", "stats", "--kb", trie.toString());
        assertEquals(0, stats.exitCode(), stats.err());
        JsonNode s = JSON.readTree(stats.out());
        assertEquals(34, s.get("entries").asInt());
        assertEquals(128009, s.get("eos_id").asInt());
        assertEquals("text_to_code.json", s.get("source_kind").asText());
        assertEquals("Disorders", s.get("groups").get(0).get("name").asText());
    }

    @Test
    void errorsAreOneLine(@TempDir Path dir) throws Exception {
        CliRun missing = CliRun.of("kb", "build", "--model", MODEL, "--kb", dir.resolve("absent.json").toString(),
                "--out", dir.resolve("x.trie").toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("absent.json") && missing.err().contains("does not exist"), missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());

        Path junk = Files.writeString(dir.resolve("junk.trie"), "LBELTRIE but nothing more");
        CliRun damaged = CliRun.of("kb", "stats", "--kb", junk.toString());
        assertEquals(1, damaged.exitCode());
        assertTrue(damaged.err().contains(junk.toString()), damaged.err());
        assertEquals(1, damaged.err().strip().lines().count(), damaged.err());
    }
}
