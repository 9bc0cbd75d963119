package org.longbel.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small Llama-3-shaped tokenizer.json for tests: the 256 byte tokens (ids 0..255 in byte order), the
 * merges given, added tokens, and the same pipeline as Llama 3. Tests change it to make bad inputs.
 */
final class MiniTokenizerJson {
    static final ObjectMapper JSON = new ObjectMapper();
    final ObjectNode root = JSON.createObjectNode();
    final ObjectNode vocab;
    final ArrayNode merges;
    final ArrayNode added;
    private int nextId = 256;

    MiniTokenizerJson() {
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        added = root.putArray("added_tokens");
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode stages = pre.putArray("pretokenizers");
        ObjectNode split = stages.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", Llama3Splitter.PATTERN);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        stages.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true).put("use_regex", false);
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode bos = post.putObject("special_tokens").putObject("<s>");
        bos.put("id", "<s>").putArray("ids").add(-1); // set by write()
        bos.putArray("tokens").add("<s>");
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true).put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        vocab = model.putObject("vocab");
        for (int b = 0; b < 256; b++) vocab.put(String.valueOf(ByteLevel.charOf(b)), b);
        merges = model.putArray("merges");
        addAdded("<s>", true);
    }

    /** Adds a merge of two byte-level token strings (string form), creating the merged vocabulary entry. */
    MiniTokenizerJson merge(String left, String right) {
        merges.add(left + " " + right);
        if (!vocab.has(left + right)) vocab.put(left + right, nextId++);
        return this;
    }

    /** Same, in the pair form ["left", "right"]. */
    MiniTokenizerJson mergePair(String left, String right) {
        merges.addArray().add(left).add(right);
        if (!vocab.has(left + right)) vocab.put(left + right, nextId++);
        return this;
    }

    /** Adds an added token; its id is given by {@link #write} as Hugging Face assigns it. */
    ObjectNode addAdded(String content, boolean special) {
        ObjectNode t = added.addObject();
        t.put("id", -1).put("content", content).put("single_word", false).put("lstrip", false).put("rstrip", false)
                .put("normalized", false).put("special", special);
        return t;
    }

    ObjectNode model() { return (ObjectNode) root.get("model"); }

    /**
     * Writes tokenizer.json into {@code dir} and returns its path. Added tokens whose id is -1 get the
     * id Hugging Face gives them (after the vocabulary, in order), and the template's ids follow.
     */
    Path write(Path dir) {
        int next = vocab.size();
        for (var t : added) {
            String content = t.get("content").asText();
            if (t.get("id").asInt() == -1) ((ObjectNode) t).put("id", vocab.has(content) ? vocab.get(content).asInt() : next++);
        }
        var specials = root.path("post_processor").path("special_tokens");
        specials.properties().forEach(e -> {
            ArrayNode ids = (ArrayNode) e.getValue().get("ids");
            if (ids.size() == 1 && ids.get(0).asInt() == -1) {
                for (var t : added) if (t.get("content").asText().equals(e.getKey())) ids.set(0, t.get("id").asInt());
            }
        });
        try {
            Path file = dir.resolve("tokenizer.json");
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Tokenizer load(Path dir) { return Tokenizer.fromFile(write(dir)); }
}
