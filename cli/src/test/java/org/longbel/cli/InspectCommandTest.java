package org.longbel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void describesTinyLlama32() throws Exception {
        CliRun run = CliRun.of("inspect", "--model", CliRun.fixtures().resolve("models/tiny-llama32").toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode j = MAPPER.readTree(run.out());
        assertEquals("llama_longbel", j.get("model_type").asText());
        assertEquals(2, j.get("layers").asInt());
        assertEquals(64, j.get("hidden").asInt());
        assertEquals(176, j.get("intermediate").asInt());
        assertEquals(4, j.get("heads").asInt());
        assertEquals(2, j.get("kv_heads").asInt());
        assertEquals(16, j.get("head_dim").asInt());
        assertEquals(128257, j.get("vocab").asInt());
        assertEquals(8_300_928L, j.get("parameters").asLong());
        assertEquals("BF16", j.get("dtype").asText());
        assertTrue(j.get("tied").asBoolean());
        assertEquals("llama3", j.get("rope").get("type").asText());
        assertEquals(500000.0, j.get("rope").get("theta").asDouble());
        assertEquals(32.0, j.get("rope").get("factor").asDouble());
        assertEquals(8192, j.get("rope").get("original_max_position_embeddings").asInt());
        assertEquals(16_604_024L, j.get("bytes_mapped").asLong());
        assertEquals("model.safetensors", j.get("files").get(0).asText());
        assertEquals("", run.err());
    }

    @Test
    void describesTheShardedFixture() throws Exception {
        CliRun run = CliRun.of("inspect", "--model", CliRun.fixtures().resolve("models/tiny-mha-untied").toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode j = MAPPER.readTree(run.out());
        assertEquals("F32", j.get("dtype").asText());
        assertEquals(false, j.get("tied").asBoolean());
        assertEquals("default", j.get("rope").get("type").asText());
        assertEquals(2, j.get("files").size());
        assertEquals(120_336L, j.get("parameters").asLong());
    }

    @Test
    void badCheckpointIsOneLineOnStderr(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"gpt2\"}");
        CliRun run = CliRun.of("inspect", "--model", tmp.toString());
        assertEquals(1, run.exitCode());
        assertEquals("", run.out());
        assertEquals("longbel: " + tmp.resolve("config.json") + ": model_type 'gpt2' is not supported (supported: llama, llama_longbel)",
                run.err().strip());
    }
}
