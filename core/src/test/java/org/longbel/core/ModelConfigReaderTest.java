package org.longbel.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.longbel.core.BadCheckpointTest.assertContains;

class ModelConfigReaderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void readsTheLongbel1bConfig() {
        ModelConfig c = ModelConfigReader.read(TestCheckpoints.fixtures().resolve("configs/llama-3.2-1b-longbel.json"));
        assertEquals("llama_longbel", c.modelType());
        assertEquals(2048, c.hiddenSize());
        assertEquals(8192, c.intermediateSize());
        assertEquals(16, c.numLayers());
        assertEquals(32, c.numHeads());
        assertEquals(8, c.numKvHeads());
        assertEquals(64, c.headDim());
        assertEquals(128257, c.vocabSize(), "vocab_size as written, not the tokenizer's 128256");
        assertEquals(1e-5f, c.rmsNormEps());
        assertEquals(131072, c.maxPositions());
        assertTrue(c.tieWordEmbeddings());
        assertEquals(128000, c.bosTokenId());
        assertArrayEquals(new int[]{128001, 128008, 128009}, c.eosTokenIds());
        assertEquals(new ModelConfig.RopeConfig(500000.0, "llama3", 32, 1, 4, 8192), c.rope());
        assertEquals(512, c.kvDim());
        assertEquals(2048, c.qDim());
    }

    @Test
    void readsThePlainLlamaFixture() {
        ModelConfig c = ModelConfigReader.read(TestCheckpoints.fixtureModel("tiny-mha-untied").resolve("config.json"));
        assertEquals("llama", c.modelType());
        assertEquals(ModelConfig.RopeConfig.unscaled(10000.0), c.rope());
        assertFalse(c.rope().isLlama3());
        assertFalse(c.tieWordEmbeddings());
        assertArrayEquals(new int[]{2}, c.eosTokenIds(), "an int eos becomes a list of one");
        assertEquals(6, c.numKvHeads());
    }

    @Test
    void headDimIsDerivedWhenAbsent() {
        assertEquals(4, parse(c -> c.remove("head_dim")).headDim());
    }

    @Test
    void explicitHeadDimWins() {
        ModelConfig c = parse(c2 -> c2.put("head_dim", 8));
        assertEquals(8, c.headDim());
        assertEquals(32, c.qDim());
    }

    @Test
    void optionalFieldsTakeTransformersDefaults() {
        ModelConfig c = parse(n -> {
            n.remove("num_key_value_heads");
            n.remove("rope_scaling");
            n.remove("rope_theta");
            n.remove("tie_word_embeddings");
            n.remove("eos_token_id");
            n.remove("bos_token_id");
            n.remove("rms_norm_eps");
        });
        assertEquals(4, c.numKvHeads());
        assertEquals(ModelConfig.RopeConfig.unscaled(10000.0), c.rope());
        assertFalse(c.tieWordEmbeddings());
        assertArrayEquals(new int[0], c.eosTokenIds());
        assertEquals(-1, c.bosTokenId());
        assertEquals(1e-6f, c.rmsNormEps());
    }

    @Test
    void nullRopeScalingIsUnscaled() {
        assertEquals("default", parse(c -> c.putNull("rope_scaling")).rope().type());
    }

    @Test
    void legacyRopeTypeKeyIsAccepted() {
        ModelConfig c = parse(n -> {
            ObjectNode s = (ObjectNode) n.get("rope_scaling");
            s.remove("rope_type");
            s.put("type", "llama3");
        });
        assertTrue(c.rope().isLlama3());
        assertEquals(64, c.rope().originalMaxPositions());
    }

    @Test
    void unknownRopeTypeIsAnError() {
        for (String type : new String[]{"linear", "dynamic", "yarn", "default"}) {
            assertFails(n -> ((ObjectNode) n.get("rope_scaling")).put("rope_type", type),
                    "rope_scaling.rope_type '" + type + "' is not supported");
        }
    }

    @Test
    void llama3ScalingNeedsItsNumbers() {
        assertFails(n -> ((ObjectNode) n.get("rope_scaling")).remove("factor"), "rope_scaling.factor", "positive number");
        assertFails(n -> ((ObjectNode) n.get("rope_scaling")).remove("rope_type"), "rope_scaling has no string 'rope_type'");
    }

    @Test
    void unknownModelTypeIsAnError() {
        assertFails(n -> n.put("model_type", "mistral"), "model_type 'mistral' is not supported (supported: llama, llama_longbel)");
        assertFails(n -> n.remove("model_type"), "model_type is missing");
    }

    @Test
    void biasesAreRejected() {
        assertFails(n -> n.put("attention_bias", true), "attention_bias true is not supported");
        assertFails(n -> n.put("mlp_bias", true), "mlp_bias true is not supported");
        parse(n -> n.put("attention_bias", false));
    }

    @Test
    void onlySilu() {
        assertFails(n -> n.put("hidden_act", "gelu"), "hidden_act 'gelu' is not supported");
    }

    @Test
    void kvHeadsMustDivideHeads() {
        assertFails(n -> n.put("num_key_value_heads", 3), "num_key_value_heads 3 does not divide num_attention_heads 4");
    }

    @Test
    void fieldTypesAreChecked() {
        assertFails(n -> n.put("hidden_size", "16"), "hidden_size must be a positive integer, got \"16\"");
        assertFails(n -> n.put("num_hidden_layers", 0), "num_hidden_layers must be a positive integer, got 0");
        assertFails(n -> n.remove("vocab_size"), "vocab_size is missing");
        assertFails(n -> n.put("tie_word_embeddings", "yes"), "tie_word_embeddings must be true or false");
        assertFails(n -> n.putArray("eos_token_id").add("x"), "eos_token_id must be a non-negative integer");
    }

    @Test
    void headDimMustBeDerivableAndEven() {
        assertFails(n -> {
            n.remove("head_dim");
            n.put("hidden_size", 18);
        }, "head_dim absent and hidden_size 18 is not a multiple of num_attention_heads 4");
        assertFails(n -> n.put("head_dim", 5), "head_dim 5 must be even");
        assertFails(n -> {
            n.put("num_attention_heads", 65536);
            n.put("num_key_value_heads", 65536);
            n.put("head_dim", 65536);
        }, "head_dim 65536 times num_attention_heads 65536 exceeds 2147483647");
    }

    @Test
    void ropeScalingShapesAreChecked() {
        assertFails(n -> n.put("rope_scaling", "llama3"), "rope_scaling must be null or an object, got \"llama3\"");
        assertFails(n -> ((ObjectNode) n.get("rope_scaling")).put("original_max_position_embeddings", 64.5),
                "rope_scaling.original_max_position_embeddings must be an integer, got 64.5");
        assertFails(n -> ((ObjectNode) n.get("rope_scaling")).put("high_freq_factor", 1.0),
                "rope_scaling.high_freq_factor 1.0 must be greater than low_freq_factor 1.0");
    }

    @Test
    void eosTokenIdIsAnIntAListOrNull() {
        assertArrayEquals(new int[]{7}, parse(n -> n.put("eos_token_id", 7)).eosTokenIds());
        assertArrayEquals(new int[]{2, 3}, parse(n -> { }).eosTokenIds());
        assertArrayEquals(new int[0], parse(n -> n.putNull("eos_token_id")).eosTokenIds());
        assertFails(n -> n.put("eos_token_id", -1), "eos_token_id must be a non-negative integer");
    }

    @Test
    void malformedJsonNamesTheLine() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> ModelConfigReader.parse("{\n \"model_type\": \"llama\"\n \"hidden_size\": 4}", "dir/config.json"));
        assertContains(e.getMessage(), "dir/config.json: not valid JSON (line 3");
        e = assertThrows(CheckpointException.class, () -> ModelConfigReader.parse("[]", "dir/config.json"));
        assertContains(e.getMessage(), "dir/config.json: must be a JSON object");
    }

    @Test
    void writerRoundTrips() {
        for (String json : new String[]{TestCheckpoints.smallConfigJson(true), TestCheckpoints.smallConfigJson(false)}) {
            ModelConfig c = ModelConfigReader.parse(json, "small");
            ModelConfig back = ModelConfigReader.parse(ModelConfigWriter.toJson(c, "bfloat16").toString(), "written");
            assertSameConfig(c, back);
        }
        ModelConfig plain = ModelConfigReader.read(TestCheckpoints.fixtureModel("tiny-mha-untied").resolve("config.json"));
        assertSameConfig(plain, ModelConfigReader.parse(ModelConfigWriter.toJson(plain, "float32").toString(), "written"));
    }

    static void assertSameConfig(ModelConfig expected, ModelConfig actual) {
        assertArrayEquals(expected.eosTokenIds(), actual.eosTokenIds());
        assertEquals(expected, new ModelConfig(actual.modelType(), actual.hiddenSize(), actual.intermediateSize(),
                actual.numLayers(), actual.numHeads(), actual.numKvHeads(), actual.headDim(), actual.vocabSize(),
                actual.rmsNormEps(), actual.maxPositions(), actual.rope(), actual.tieWordEmbeddings(),
                actual.bosTokenId(), expected.eosTokenIds()));
    }

    private static ModelConfig parse(Consumer<ObjectNode> edit) {
        return ModelConfigReader.parse(edited(edit), "test/config.json");
    }

    private static void assertFails(Consumer<ObjectNode> edit, String... fragments) {
        String json = edited(edit);
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelConfigReader.parse(json, "test/config.json"));
        assertContains(e.getMessage(), "test/config.json: ");
        assertContains(e.getMessage(), fragments);
    }

    private static String edited(Consumer<ObjectNode> edit) {
        try {
            ObjectNode node = (ObjectNode) MAPPER.readTree(TestCheckpoints.smallConfigJson(true));
            edit.accept(node);
            return MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
