package org.longbel.core;

import org.longbel.core.safetensors.SafetensorsDirectory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Binds the tensors of a checkpoint to the {@link LlamaWeights} that a {@link ModelConfig} needs, in
 * Hugging Face's naming, checking that each is present with the expected shape and that nothing else
 * is there (except the {@code rotary_emb.inv_freq} buffers some older exports contain, and a stored
 * {@code lm_head.weight} of a tied checkpoint, which Hugging Face ignores too: both leave a notice).
 */
final class LlamaWeightBinder {

    /** Buffers some exports store that the engine recomputes; tolerated and ignored. */
    private static final String IGNORED_SUFFIX = "rotary_emb.inv_freq";

    private static final int MAX_NAMES_IN_MESSAGE = 20;

    private final ModelConfig config;
    private final SafetensorsDirectory files;
    private final Map<String, long[]> expected = new LinkedHashMap<>();
    private final List<String> notices;

    private LlamaWeightBinder(ModelConfig config, SafetensorsDirectory files, List<String> notices) {
        this.config = config;
        this.files = files;
        this.notices = notices;
    }

    /** The tensor names and shapes a config needs, in checkpoint order. */
    static Map<String, long[]> expectedShapes(ModelConfig c) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        long hidden = c.hiddenSize(), inter = c.intermediateSize();
        shapes.put("model.embed_tokens.weight", new long[]{c.vocabSize(), hidden});
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            shapes.put(p + "input_layernorm.weight", new long[]{hidden});
            shapes.put(p + "self_attn.q_proj.weight", new long[]{c.qDim(), hidden});
            shapes.put(p + "self_attn.k_proj.weight", new long[]{c.kvDim(), hidden});
            shapes.put(p + "self_attn.v_proj.weight", new long[]{c.kvDim(), hidden});
            shapes.put(p + "self_attn.o_proj.weight", new long[]{hidden, c.qDim()});
            shapes.put(p + "post_attention_layernorm.weight", new long[]{hidden});
            shapes.put(p + "mlp.gate_proj.weight", new long[]{inter, hidden});
            shapes.put(p + "mlp.up_proj.weight", new long[]{inter, hidden});
            shapes.put(p + "mlp.down_proj.weight", new long[]{hidden, inter});
        }
        shapes.put("model.norm.weight", new long[]{hidden});
        if (!c.tieWordEmbeddings()) {
            shapes.put("lm_head.weight", new long[]{c.vocabSize(), hidden});
        }
        return shapes;
    }

    /**
     * Checks the tensors of {@code files} against {@code config} and returns the weights.
     *
     * @param dir the checkpoint directory (for messages)
     * @throws CheckpointException listing missing and unexpected tensors, or naming a mis-shaped one
     */
    static LlamaWeights bind(Path dir, ModelConfig config, SafetensorsDirectory files, List<String> notices) {
        return new LlamaWeightBinder(config, files, notices).bind(dir);
    }

    private LlamaWeights bind(Path dir) {
        if (config.numLayers() > files.tensors().size()) { // 9 tensors a layer: far too few, and no list of billions
            throw new CheckpointException(dir + ": config.json has num_hidden_layers " + config.numLayers()
                    + " (9 tensors each) but the checkpoint holds only " + files.tensors().size() + " tensors");
        }
        expected.putAll(expectedShapes(config));
        checkNames(dir);
        List<LlamaWeights.Layer> layers = new ArrayList<>(config.numLayers());
        for (int l = 0; l < config.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            layers.add(new LlamaWeights.Layer(
                    get(p + "input_layernorm.weight"),
                    get(p + "self_attn.q_proj.weight"), get(p + "self_attn.k_proj.weight"),
                    get(p + "self_attn.v_proj.weight"), get(p + "self_attn.o_proj.weight"),
                    get(p + "post_attention_layernorm.weight"),
                    get(p + "mlp.gate_proj.weight"), get(p + "mlp.up_proj.weight"), get(p + "mlp.down_proj.weight")));
        }
        Tensor embedding = get("model.embed_tokens.weight");
        Tensor lmHead = config.tieWordEmbeddings() ? embedding : get("lm_head.weight");
        return new LlamaWeights(embedding, List.copyOf(layers), get("model.norm.weight"), lmHead);
    }

    private void checkNames(Path dir) {
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(files.tensors().keySet());
        Set<String> unexpected = new TreeSet<>(files.tensors().keySet());
        unexpected.removeAll(expected.keySet());
        for (String name : List.copyOf(unexpected)) {
            if (name.endsWith(IGNORED_SUFFIX)) {
                unexpected.remove(name);
                notices.add(files.fileOf(name) + ": tensor '" + name + "' ignored (the rotary frequencies are recomputed from config.json)");
            }
        }
        if (config.tieWordEmbeddings() && unexpected.remove("lm_head.weight")) {
            Tensor head = files.tensors().get("lm_head.weight");
            long[] shape = {config.vocabSize(), config.hiddenSize()};
            if (!Arrays.equals(head.shape(), shape)) {
                throw new CheckpointException(files.fileOf("lm_head.weight") + ": tensor 'lm_head.weight' has shape "
                        + Arrays.toString(head.shape()) + " but the tied head of config.json is " + Arrays.toString(shape));
            }
            notices.add(files.fileOf("lm_head.weight") + ": 'lm_head.weight' is stored although tie_word_embeddings is true: "
                    + "ignored, the head is the embedding matrix (as Hugging Face loads it)");
        }
        if (missing.isEmpty() && unexpected.isEmpty()) {
            return;
        }
        StringBuilder msg = new StringBuilder(dir.toString()).append(": tensors do not match config.json (")
                .append(config.numLayers()).append(" layers, tie_word_embeddings=").append(config.tieWordEmbeddings()).append(")");
        if (!missing.isEmpty()) {
            msg.append("; missing ").append(missing.size()).append(": ").append(list(missing));
        }
        if (!unexpected.isEmpty()) {
            msg.append("; unexpected ").append(unexpected.size()).append(": ").append(list(unexpected));
        }
        throw new CheckpointException(msg.toString());
    }

    private Tensor get(String name) {
        Tensor t = files.tensors().get(name);
        long[] shape = expected.get(name);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new CheckpointException(files.fileOf(name) + ": tensor '" + name + "' has shape "
                    + Arrays.toString(t.shape()) + " but config.json needs " + Arrays.toString(shape));
        }
        return t;
    }

    private static String list(Set<String> names) {
        List<String> shown = names.stream().limit(MAX_NAMES_IN_MESSAGE).toList();
        String s = String.join(", ", shown);
        return names.size() > shown.size() ? s + ", ... and " + (names.size() - shown.size()) + " more" : s;
    }
}
