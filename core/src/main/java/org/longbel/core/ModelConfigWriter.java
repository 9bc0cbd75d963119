package org.longbel.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a {@link ModelConfig} as a normalised Hugging Face {@code config.json}: every field the engine
 * reads, explicit, so that {@link ModelConfigReader} gives back an equal config.
 */
public final class ModelConfigWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelConfigWriter() {
    }

    /**
     * The config as a JSON object.
     *
     * @param torchDtype the {@code torch_dtype} to record ({@code bfloat16}, {@code float16}, {@code float32})
     */
    public static ObjectNode toJson(ModelConfig c, String torchDtype) {
        ObjectNode n = MAPPER.createObjectNode();
        n.putArray("architectures").add("LlamaForCausalLM");
        n.put("model_type", c.modelType());
        n.put("hidden_act", "silu");
        n.put("attention_bias", false);
        n.put("mlp_bias", false);
        n.put("hidden_size", c.hiddenSize());
        n.put("intermediate_size", c.intermediateSize());
        n.put("num_hidden_layers", c.numLayers());
        n.put("num_attention_heads", c.numHeads());
        n.put("num_key_value_heads", c.numKvHeads());
        n.put("head_dim", c.headDim());
        n.put("vocab_size", c.vocabSize());
        n.put("rms_norm_eps", Double.parseDouble(Float.toString(c.rmsNormEps())));
        n.put("max_position_embeddings", c.maxPositions());
        n.put("rope_theta", c.rope().theta());
        if (c.rope().isLlama3()) {
            ObjectNode s = n.putObject("rope_scaling");
            s.put("rope_type", "llama3");
            s.put("factor", c.rope().factor());
            s.put("low_freq_factor", c.rope().lowFreqFactor());
            s.put("high_freq_factor", c.rope().highFreqFactor());
            s.put("original_max_position_embeddings", c.rope().originalMaxPositions());
        } else {
            n.putNull("rope_scaling");
        }
        n.put("tie_word_embeddings", c.tieWordEmbeddings());
        if (c.bosTokenId() >= 0) {
            n.put("bos_token_id", c.bosTokenId());
        }
        int[] eos = c.eosTokenIds();
        if (eos.length == 1) {
            n.put("eos_token_id", eos[0]);
        } else if (eos.length > 1) {
            ArrayNode list = n.putArray("eos_token_id");
            for (int id : eos) list.add(id);
        }
        n.put("torch_dtype", torchDtype);
        return n;
    }

    /** The torch dtype name for an element type. */
    public static String torchDtype(DType dtype) {
        return switch (dtype) {
            case BF16 -> "bfloat16";
            case F16 -> "float16";
            case F32 -> "float32";
        };
    }

    /** Writes {@link #toJson} to {@code file}. */
    public static void write(ModelConfig c, DType dtype, Path file) throws IOException {
        MAPPER.writeValue(file.toFile(), toJson(c, torchDtype(dtype)));
    }
}
