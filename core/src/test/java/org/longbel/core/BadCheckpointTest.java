package org.longbel.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broken checkpoint directories, each made from a valid one by changing one thing: every case must fail
 * with one clear {@link CheckpointException} naming the file and the field or tensor.
 */
class BadCheckpointTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;
    Path dir;
    Path weights;

    @BeforeEach
    void writeValidCheckpoint() {
        dir = TestCheckpoints.writeSmall(tmp, "model", true, DType.F32);
        weights = dir.resolve("model.safetensors");
        Checkpoint.open(dir).close();
    }

    @Test
    void truncatedFile() throws IOException {
        try (FileChannel ch = FileChannel.open(weights, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 10);
        }
        assertFails(weights.toString(), "'model.norm.weight'", "past the end of the data section", "truncated");
    }

    @Test
    void fileShorterThanTheHeaderLength() throws IOException {
        Files.write(weights, new byte[]{1, 2, 3, 4, 5});
        assertFails(weights.toString(), "5 bytes", "truncated");
    }

    @Test
    void headerLengthPastTheEnd() throws IOException {
        long size = Files.size(weights);
        try (FileChannel ch = FileChannel.open(weights, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, size), 0);
        }
        assertFails(weights.toString(), "header length " + size, "runs past the end");
    }

    @Test
    void absurdHeaderLength() throws IOException {
        try (FileChannel ch = FileChannel.open(weights, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L), 0);
        }
        assertFails(weights.toString(), "header length 18446744073709551615", "out of range");
    }

    @Test
    void offsetPastTheEnd() throws IOException {
        RawSafetensorsFile raw = RawSafetensorsFile.read(weights);
        long dataSize = raw.data.length;
        raw.offsets("model.layers.0.input_layernorm.weight", dataSize, dataSize + 64);
        raw.write(weights);
        assertFails(weights.toString(), "'model.layers.0.input_layernorm.weight'", "past the end of the data section");
    }

    @Test
    void overlappingOffsets() throws IOException {
        editWeights(raw -> raw.offsets("model.norm.weight", 0, 64));
        assertFails(weights.toString(), "'model.norm.weight'", "overlap", "'model.embed_tokens.weight'");
    }

    @Test
    void wrongByteSize() throws IOException {
        editWeights(raw -> raw.entry("model.norm.weight").putArray("shape").add(17));
        assertFails(weights.toString(), "'model.norm.weight'", "cover 64 bytes", "shape [17] of F32 needs 68");
    }

    @Test
    void negativeShape() throws IOException {
        editWeights(raw -> raw.entry("model.norm.weight").putArray("shape").add(-16));
        assertFails(weights.toString(), "'model.norm.weight'", "'shape' must hold non-negative integers");
    }

    @Test
    void beginAfterEnd() throws IOException {
        editWeights(raw -> raw.offsets("model.norm.weight", 64, 0));
        assertFails(weights.toString(), "'model.norm.weight'", "data_offsets [64, 0] has begin after end");
    }

    @Test
    void holeInTheDataSection() throws IOException {
        RawSafetensorsFile raw = RawSafetensorsFile.read(weights);
        long size = raw.data.length;
        raw.data = Arrays.copyOf(raw.data, raw.data.length + 8);
        raw.offsets("model.norm.weight", size - 56, size + 8);
        raw.write(weights);
        assertFails(weights.toString(), "bytes [" + (size - 64) + ", " + (size - 56) + ") before tensor 'model.norm.weight'",
                "belong to no tensor");
    }

    @Test
    void bytesAfterTheLastTensor() throws IOException {
        RawSafetensorsFile raw = RawSafetensorsFile.read(weights);
        long size = raw.data.length;
        raw.data = Arrays.copyOf(raw.data, raw.data.length + 5);
        raw.write(weights);
        assertFails(weights.toString(), "data section is " + (size + 5) + " bytes but its tensors end at byte " + size,
                "'model.norm.weight'", "the 5 bytes after that belong to no tensor");
    }

    @Test
    void nonIntegerShape() throws IOException {
        editWeights(raw -> raw.entry("model.norm.weight").putArray("shape").add(16.5));
        assertFails(weights.toString(), "'model.norm.weight'", "'shape' must hold non-negative integers, got [16.5]");
        editWeights(raw -> raw.entry("model.norm.weight").putArray("shape").add("16"));
        assertFails(weights.toString(), "'model.norm.weight'", "'shape' must hold non-negative integers, got [\"16\"]");
    }

    @Test
    void shapeWhoseByteSizeOverflows() throws IOException {
        editWeights(raw -> raw.entry("model.norm.weight").putArray("shape").add(1L << 40).add(1L << 40));
        assertFails(weights.toString(), "'model.norm.weight'", "is too large");
    }

    @Test
    void headerLengthAboveTheLimit() throws IOException {
        try (FileChannel ch = FileChannel.open(weights, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 200_000_000L), 0);
        }
        assertFails(weights.toString(), "header length 200000000", "out of range");
    }

    @Test
    void tensorEntryThatIsNotAnObject() throws IOException {
        editWeights(raw -> raw.header.put("model.norm.weight", 3));
        assertFails(weights.toString(), "'model.norm.weight'", "must be a JSON object");
    }

    @Test
    void duplicateName() throws IOException {
        RawSafetensorsFile raw = RawSafetensorsFile.read(weights);
        String json = MAPPER.writeValueAsString(raw.header);
        String norm = MAPPER.writeValueAsString(raw.entry("model.norm.weight"));
        RawSafetensorsFile.writeRaw(weights, json.substring(0, json.length() - 1) + ",\"model.norm.weight\":" + norm + "}", raw.data);
        assertFails(weights.toString(), "duplicate tensor name 'model.norm.weight'");
    }

    @Test
    void unknownDtype() throws IOException {
        editWeights(raw -> raw.entry("model.layers.1.mlp.up_proj.weight").put("dtype", "I8"));
        assertFails(weights.toString(), "'model.layers.1.mlp.up_proj.weight'", "unsupported dtype 'I8'", "BF16, F16, F32");
    }

    @Test
    void malformedHeaderJson() throws IOException {
        RawSafetensorsFile raw = RawSafetensorsFile.read(weights);
        RawSafetensorsFile.writeRaw(weights, "{\"model.norm.weight\": {\"dtype\": ", raw.data);
        assertFails(weights.toString(), "header is not valid JSON");
    }

    @Test
    void headerThatIsNotAnObject() throws IOException {
        RawSafetensorsFile.writeRaw(weights, "[1, 2, 3]", new byte[0]);
        assertFails(weights.toString(), "header is not a JSON object");
    }

    @Test
    void contentAfterTheHeaderObject() throws IOException {
        RawSafetensorsFile raw = RawSafetensorsFile.read(weights);
        RawSafetensorsFile.writeRaw(weights, MAPPER.writeValueAsString(raw.header) + "{}", raw.data);
        assertFails(weights.toString(), "content after its JSON object");
    }

    @Test
    void metadataMustHoldStrings() throws IOException {
        editWeights(raw -> raw.header.putObject("__metadata__").put("format", 3));
        assertFails(weights.toString(), "'__metadata__.format' must be a string");
    }

    @Test
    void missingTensor() throws IOException {
        editWeights(raw -> raw.removeTensor("model.layers.1.self_attn.k_proj.weight"));
        assertFails(dir.toString(), "missing 1: model.layers.1.self_attn.k_proj.weight");
    }

    @Test
    void unexpectedTensor() throws IOException {
        editWeights(raw -> raw.addEmptyTensor("model.layers.0.self_attn.q_norm.weight"));
        assertFails(dir.toString(), "unexpected 1: model.layers.0.self_attn.q_norm.weight");
    }

    @Test
    void rotaryInverseFrequenciesAreTolerated() throws IOException {
        RawSafetensorsFile raw = RawSafetensorsFile.read(weights);
        ObjectNode extra = raw.header.putObject("model.layers.0.self_attn.rotary_emb.inv_freq");
        extra.put("dtype", "F32");
        extra.putArray("shape").add(2);
        extra.putArray("data_offsets").add(raw.data.length).add(raw.data.length + 8);
        raw.data = Arrays.copyOf(raw.data, raw.data.length + 8);
        raw.write(weights);
        Checkpoint.open(dir).close();
    }

    @Test
    void aStoredHeadOfATiedCheckpointIsIgnoredWithANoticeAsHuggingFaceDoes() throws IOException {
        Path untied = TestCheckpoints.writeSmall(tmp, "untied", false, DType.F32);
        Files.copy(dir.resolve("config.json"), untied.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        try (Checkpoint c = Checkpoint.open(untied)) {
            assertSame(c.weights().tokenEmbedding(), c.weights().lmHead(), "the head is the embedding");
            assertEquals(1, c.notices().size(), c.notices().toString());
            assertContains(c.notices().getFirst(), "'lm_head.weight' is stored although tie_word_embeddings is true: ignored");
        }
        try (Checkpoint plain = Checkpoint.open(dir)) {
            assertEquals(List.of(), plain.notices());
        }
    }

    @Test
    void aStoredHeadOfATiedCheckpointMustStillHaveTheHeadsShape() throws IOException {
        Path untied = TestCheckpoints.writeSmall(tmp, "untied-narrow", false, DType.F32);
        Files.copy(dir.resolve("config.json"), untied.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        Path weights = untied.resolve("model.safetensors");
        RawSafetensorsFile raw = RawSafetensorsFile.read(weights);
        long start = raw.entry("lm_head.weight").get("data_offsets").get(0).asLong();
        raw.entry("lm_head.weight").putArray("shape").add(3).add(3);
        raw.offsets("lm_head.weight", start, start + 36);   // 3 x 3 float32, the last tensor of the file
        raw.data = Arrays.copyOf(raw.data, (int) start + 36);
        raw.write(weights);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(untied));
        assertContains(e.getMessage(), "tensor 'lm_head.weight' has shape [3, 3] but the tied head of config.json is");
    }

    @Test
    void lmHeadMissingWhenUntied() throws IOException {
        editConfig(c -> c.put("tie_word_embeddings", false));
        assertFails(dir.toString(), "missing 1: lm_head.weight");
    }

    @Test
    void shapeDisagreesWithConfig() throws IOException {
        editConfig(c -> c.put("intermediate_size", 25));
        assertFails(weights.toString(), "'model.layers.0.mlp.gate_proj.weight'", "shape [24, 16]", "needs [25, 16]");
    }

    @Test
    void noWeightsFile() throws IOException {
        Files.delete(weights);
        assertFails(dir.toString(), "no model.safetensors and no model.safetensors.index.json");
    }

    @Test
    void noConfig() throws IOException {
        Files.delete(dir.resolve("config.json"));
        assertFails(dir.resolve("config.json").toString(), "not found");
    }

    @Test
    void unknownModelType() throws IOException {
        editConfig(c -> c.put("model_type", "mistral"));
        assertFails("config.json", "model_type 'mistral' is not supported");
    }

    @Test
    void unknownRopeType() throws IOException {
        editConfig(c -> ((ObjectNode) c.get("rope_scaling")).put("rope_type", "yarn"));
        assertFails("config.json", "rope_scaling.rope_type 'yarn' is not supported");
    }

    @Test
    void attentionBias() throws IOException {
        editConfig(c -> c.put("attention_bias", true));
        assertFails("config.json", "attention_bias true is not supported");
    }

    @Test
    void malformedConfigJson() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\n  \"model_type\": \"llama\",\n  \"hidden_size\": 16,,\n}");
        assertFails("config.json", "not valid JSON (line 3");
    }

    @Test
    void layerCountFarBeyondTheTensorsFailsWithoutListingThem() throws IOException {
        editConfig(c -> c.put("num_hidden_layers", Integer.MAX_VALUE));
        assertFails(dir.toString(), "num_hidden_layers 2147483647 (9 tensors each) but the checkpoint holds only");
    }

    @Test
    void configThatIsNotUtf8() throws IOException {
        Files.write(dir.resolve("config.json"), new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'});
        assertFails(dir.resolve("config.json").toString(), "not valid UTF-8");
    }

    @Test
    void notADirectory() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(weights));
        assertContains(e.getMessage(), "not a directory");
    }

    private void editWeights(Consumer<RawSafetensorsFile> edit) throws IOException {
        RawSafetensorsFile raw = RawSafetensorsFile.read(weights);
        edit.accept(raw);
        raw.write(weights);
    }

    private void editConfig(Consumer<ObjectNode> edit) throws IOException {
        Path config = dir.resolve("config.json");
        ObjectNode node = (ObjectNode) MAPPER.readTree(config.toFile());
        edit.accept(node);
        MAPPER.writeValue(config.toFile(), node);
    }

    private void assertFails(String... fragments) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir));
        assertContains(e.getMessage(), fragments);
    }

    static void assertContains(String message, String... fragments) {
        for (String f : fragments) {
            assertTrue(message.contains(f), () -> "message should contain <" + f + ">: " + message);
        }
    }
}
