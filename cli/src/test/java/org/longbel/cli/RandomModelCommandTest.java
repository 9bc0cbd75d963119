package org.longbel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomModelCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void writesACheckpointThatInspectAccepts() throws Exception {
        Path config = CliRun.fixtures().resolve("models/tiny-mha-untied/config.json");
        Path out = tmp.resolve("random");
        CliRun run = CliRun.of("random-model", "--config", config.toString(), "--out", out.toString(), "--seed", "9",
                "--dtype", "f32");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode j = MAPPER.readTree(run.out());
        assertEquals("F32", j.get("dtype").asText());
        assertEquals(120_336L, j.get("parameters").asLong());
        assertFalse(Files.exists(out.resolve("model.safetensors.index.json")));

        CliRun inspect = CliRun.of("inspect", "--model", out.toString());
        assertEquals(0, inspect.exitCode(), inspect.err());
        JsonNode i = MAPPER.readTree(inspect.out());
        assertEquals(120_336L, i.get("parameters").asLong());
        assertEquals(48, i.get("hidden").asInt());
        assertEquals(false, i.get("tied").asBoolean());

        Path again = tmp.resolve("again");
        assertEquals(0, CliRun.of("random-model", "--config", config.toString(), "--out", again.toString(), "--seed", "9",
                "--dtype", "F32").exitCode());
        assertArrayEquals(Files.readAllBytes(out.resolve("model.safetensors")), Files.readAllBytes(again.resolve("model.safetensors")));
    }

    @Test
    void tiedBf16ByDefaultWithoutLmHead() throws Exception {
        Path out = tmp.resolve("tied");
        CliRun run = CliRun.of("random-model", "--config", CliRun.fixtures().resolve("models/tiny-llama32/config.json").toString(),
                "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("BF16", MAPPER.readTree(run.out()).get("dtype").asText());
        assertFalse(Files.readString(out.resolve("config.json")).isEmpty());
        byte[] head = Files.readAllBytes(out.resolve("model.safetensors"));
        assertFalse(new String(head, 0, Math.min(head.length, 4096), StandardCharsets.UTF_8).contains("lm_head"));
    }

    @Test
    void errorsAreOneLineAndNonZero() throws Exception {
        Path out = Files.createDirectory(tmp.resolve("exists"));
        CliRun run = CliRun.of("random-model", "--config", CliRun.fixtures().resolve("models/tiny-llama32/config.json").toString(),
                "--out", out.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("longbel: ") && run.err().contains("already exists"), run.err());

        Path badConfig = Files.writeString(tmp.resolve("bad.json"), "{\"model_type\": \"llama\", \"rope_scaling\": {\"rope_type\": \"yarn\"}}");
        run = CliRun.of("random-model", "--config", badConfig.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("longbel: " + badConfig), run.err());
        assertFalse(Files.exists(tmp.resolve("x")));

        run = CliRun.of("random-model", "--config", badConfig.toString(), "--out", tmp.resolve("y").toString(), "--dtype", "int4");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("'int4' is not one of bf16, f16, f32"), run.err());
    }
}
