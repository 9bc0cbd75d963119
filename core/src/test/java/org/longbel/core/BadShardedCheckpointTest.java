package org.longbel.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.longbel.core.BadCheckpointTest.assertContains;

/** Inconsistent sharded checkpoints, made from a copy of the {@code tiny-mha-untied} fixture. */
class BadShardedCheckpointTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SHARD1 = "model-00001-of-00002.safetensors";
    private static final String SHARD2 = "model-00002-of-00002.safetensors";

    @TempDir
    Path tmp;
    Path dir;

    @BeforeEach
    void copyFixture() {
        dir = TestCheckpoints.copyDir(TestCheckpoints.fixtureModel("tiny-mha-untied"), tmp.resolve("model"));
        Checkpoint.open(dir).close();
    }

    @Test
    void duplicateNameAcrossShards() throws IOException {
        RawSafetensorsFile raw = RawSafetensorsFile.read(dir.resolve(SHARD2));
        raw.addEmptyTensor("lm_head.weight");
        raw.write(dir.resolve(SHARD2));
        assertFails(SHARD2, "duplicate tensor name 'lm_head.weight', also in", SHARD1);
    }

    @Test
    void missingShardFile() throws IOException {
        Files.delete(dir.resolve(SHARD2));
        assertFails("model.safetensors.index.json", "lists shard " + SHARD2, "does not exist");
    }

    @Test
    void tensorNotListedInIndex() throws IOException {
        editIndex(map -> map.remove("model.norm.weight"));
        assertFails(SHARD2, "holds tensor 'model.norm.weight'", "does not list it");
    }

    @Test
    void tensorInTheWrongShard() throws IOException {
        editIndex(map -> map.put("model.norm.weight", SHARD1));
        assertFails(SHARD2, "holds tensor 'model.norm.weight'", "assigns it to " + SHARD1);
    }

    @Test
    void indexListsAnAbsentTensor() throws IOException {
        editIndex(map -> map.put("model.layers.3.mlp.up_proj.weight", SHARD1));
        assertFails(SHARD1, "has no tensor 'model.layers.3.mlp.up_proj.weight'");
    }

    @Test
    void shardNameOutsideTheDirectory() throws IOException {
        editIndex(map -> map.put("model.norm.weight", "../" + SHARD2));
        assertFails("model.safetensors.index.json", "'model.norm.weight'", "plain name of a file");
    }

    @Test
    void truncatedShard() throws IOException {
        Path shard = dir.resolve(SHARD1);
        byte[] bytes = Files.readAllBytes(shard);
        Files.write(shard, Arrays.copyOf(bytes, bytes.length / 2));
        assertFails(SHARD1, "past the end of the data section", "truncated");
    }

    @Test
    void indexThatIsNotUtf8() throws IOException {
        Files.write(dir.resolve("model.safetensors.index.json"), new byte[] {'{', '"', (byte) 0xFF, '"', ':', '1', '}'});
        assertFails("model.safetensors.index.json", "not valid UTF-8");
    }

    @Test
    void malformedIndexNamesTheLine() throws IOException {
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\n\"weight_map\": {\"a\": }}");
        assertFails("model.safetensors.index.json", "not valid JSON (line 2");
    }

    private void editIndex(Consumer<ObjectNode> edit) throws IOException {
        Path index = dir.resolve("model.safetensors.index.json");
        ObjectNode root = (ObjectNode) MAPPER.readTree(index.toFile());
        edit.accept((ObjectNode) root.get("weight_map"));
        MAPPER.writeValue(index.toFile(), root);
    }

    private void assertFails(String... fragments) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir));
        assertContains(e.getMessage(), fragments);
    }
}
