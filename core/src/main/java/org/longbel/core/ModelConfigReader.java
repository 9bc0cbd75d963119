package org.longbel.core;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads a Hugging Face Llama {@code config.json} into a validated {@link ModelConfig}.
 *
 * <p>Rules: {@code model_type} is {@code llama} or {@code llama_longbel}; {@code head_dim} is explicit
 * or hidden_size / num_attention_heads; {@code num_key_value_heads} (default: num_attention_heads)
 * divides num_attention_heads; {@code rope_scaling} is absent, null or of type {@code llama3} (key
 * {@code rope_type}, or the legacy {@code type}); {@code hidden_act} is {@code silu};
 * {@code attention_bias} and {@code mlp_bias} are false; {@code eos_token_id} is an int or a list;
 * {@code vocab_size} is taken as written. Optional fields default as in transformers' LlamaConfig.
 * Every violation is a {@link CheckpointException} naming the file and the field.
 */
public final class ModelConfigReader {

    /** The model types this engine runs. */
    public static final Set<String> MODEL_TYPES = Set.of("llama", "llama_longbel");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private final String source;
    private final JsonNode root;

    private ModelConfigReader(String source, JsonNode root) {
        this.source = source;
        this.root = root;
    }

    /** Reads and validates {@code configJson}. */
    public static ModelConfig read(Path configJson) {
        if (!Files.isRegularFile(configJson)) {
            throw new CheckpointException(configJson + ": not found; a checkpoint directory needs a config.json");
        }
        String text;
        try {
            text = Files.readString(configJson);
        } catch (CharacterCodingException e) {
            throw new CheckpointException(configJson + ": not valid UTF-8 text", e);
        } catch (IOException e) {
            throw new CheckpointException(configJson + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, configJson.toString());
    }

    /**
     * Parses and validates config JSON text.
     *
     * @param json   the text of a {@code config.json}
     * @param source where it comes from, used in messages (usually the file path)
     */
    public static ModelConfig parse(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new CheckpointException(source + ": not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(source + ": must be a JSON object");
        }
        return new ModelConfigReader(source, root).toConfig();
    }

    private ModelConfig toConfig() {
        String modelType = requiredString("model_type");
        if (!MODEL_TYPES.contains(modelType)) {
            throw error("model_type", "'" + modelType + "' is not supported (supported: llama, llama_longbel)");
        }
        String act = optionalString("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw error("hidden_act", "'" + act + "' is not supported (only silu)");
        }
        for (String bias : new String[]{"attention_bias", "mlp_bias"}) {
            if (optionalBoolean(bias, false)) {
                throw error(bias, "true is not supported: this engine implements Llama without bias terms");
            }
        }
        int hidden = positiveInt("hidden_size");
        int intermediate = positiveInt("intermediate_size");
        int layers = positiveInt("num_hidden_layers");
        int heads = positiveInt("num_attention_heads");
        int kvHeads = has("num_key_value_heads") ? positiveInt("num_key_value_heads") : heads;
        if (heads % kvHeads != 0) {
            throw error("num_key_value_heads", kvHeads + " does not divide num_attention_heads " + heads);
        }
        int headDim;
        if (has("head_dim")) {
            headDim = positiveInt("head_dim");
        } else if (hidden % heads == 0) {
            headDim = hidden / heads;
        } else {
            throw error("head_dim", "absent and hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads);
        }
        if (headDim % 2 != 0) {
            throw error("head_dim", headDim + " must be even for rotary embeddings");
        }
        if ((long) heads * headDim > Integer.MAX_VALUE) {
            throw error("head_dim", headDim + " times num_attention_heads " + heads + " exceeds " + Integer.MAX_VALUE
                    + " (the width of the query projection)");
        }
        int vocab = positiveInt("vocab_size");
        double eps = has("rms_norm_eps") ? positiveDouble("rms_norm_eps") : 1e-6;
        int maxPositions = has("max_position_embeddings") ? positiveInt("max_position_embeddings") : 2048;
        double theta = has("rope_theta") ? positiveDouble("rope_theta") : 10000.0;
        ModelConfig.RopeConfig rope = rope(theta);
        boolean tied = optionalBoolean("tie_word_embeddings", false);
        int bos = has("bos_token_id") ? tokenId(root.get("bos_token_id"), "bos_token_id") : -1;
        int[] eos = eosTokenIds();
        return new ModelConfig(modelType, hidden, intermediate, layers, heads, kvHeads, headDim, vocab,
                (float) eps, maxPositions, rope, tied, bos, eos);
    }

    private ModelConfig.RopeConfig rope(double theta) {
        JsonNode scaling = root.get("rope_scaling");
        if (scaling == null || scaling.isNull()) {
            return ModelConfig.RopeConfig.unscaled(theta);
        }
        if (!scaling.isObject()) {
            throw error("rope_scaling", "must be null or an object, got " + scaling);
        }
        JsonNode typeNode = scaling.has("rope_type") ? scaling.get("rope_type") : scaling.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw error("rope_scaling", "has no string 'rope_type' (or legacy 'type')");
        }
        String type = typeNode.textValue();
        if (!type.equals("llama3")) {
            throw error("rope_scaling.rope_type", "'" + type + "' is not supported (only llama3, or no rope_scaling)");
        }
        double factor = scalingNumber(scaling, "factor");
        double low = scalingNumber(scaling, "low_freq_factor");
        double high = scalingNumber(scaling, "high_freq_factor");
        double original = scalingNumber(scaling, "original_max_position_embeddings");
        if (high <= low) {
            throw error("rope_scaling.high_freq_factor", high + " must be greater than low_freq_factor " + low);
        }
        if (original != Math.rint(original) || original > Integer.MAX_VALUE) {
            throw error("rope_scaling.original_max_position_embeddings", "must be an integer, got " + original);
        }
        return new ModelConfig.RopeConfig(theta, type, factor, low, high, (int) original);
    }

    private double scalingNumber(JsonNode scaling, String field) {
        JsonNode v = scaling.get(field);
        if (v == null || !v.isNumber() || !(v.doubleValue() > 0) || Double.isInfinite(v.doubleValue())) {
            throw error("rope_scaling." + field, "llama3 scaling needs a positive number, got " + v);
        }
        return v.doubleValue();
    }

    private int[] eosTokenIds() {
        JsonNode eos = root.get("eos_token_id");
        if (eos == null || eos.isNull()) {
            return new int[0];
        }
        if (eos.isArray()) {
            int[] ids = new int[eos.size()];
            for (int i = 0; i < ids.length; i++) ids[i] = tokenId(eos.get(i), "eos_token_id");
            return ids;
        }
        return new int[]{tokenId(eos, "eos_token_id")};
    }

    private int tokenId(JsonNode v, String field) {
        if (v == null || v.isNull()) {
            return -1;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
            throw error(field, "must be a non-negative integer token id (or a list of them for eos), got " + v);
        }
        return v.intValue();
    }

    private boolean has(String field) {
        JsonNode v = root.get(field);
        return v != null && !v.isNull();
    }

    private String requiredString(String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            throw error(field, "is missing");
        }
        if (!v.isTextual()) {
            throw error(field, "must be a string, got " + v);
        }
        return v.textValue();
    }

    private String optionalString(String field, String fallback) {
        return has(field) ? requiredString(field) : fallback;
    }

    private boolean optionalBoolean(String field, boolean fallback) {
        if (!has(field)) {
            return fallback;
        }
        JsonNode v = root.get(field);
        if (!v.isBoolean()) {
            throw error(field, "must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    private int positiveInt(String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            throw error(field, "is missing");
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() <= 0) {
            throw error(field, "must be a positive integer, got " + v);
        }
        return v.intValue();
    }

    private double positiveDouble(String field) {
        JsonNode v = root.get(field);
        if (!v.isNumber() || !(v.doubleValue() > 0) || Double.isInfinite(v.doubleValue())) {
            throw error(field, "must be a positive number, got " + v);
        }
        return v.doubleValue();
    }

    private CheckpointException error(String field, String problem) {
        return new CheckpointException(source + ": " + field + " " + problem);
    }
}
