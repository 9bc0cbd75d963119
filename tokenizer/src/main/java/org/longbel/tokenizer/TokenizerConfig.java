package org.longbel.tokenizer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of transformers' {@code tokenizer_config.json} the tokenizer uses: the names of the BOS, EOS
 * and pad tokens (a string or an {@code AddedToken} object with a {@code content}),
 * {@code clean_up_tokenization_spaces}, and the {@code tokenizer_class}. {@code split_special_tokens=true}, which
 * makes transformers encode special tokens typed in the text as plain text, is rejected. Other keys
 * ({@code chat_template} as a string or a list, {@code model_max_length}, {@code model_input_names}, ...) do not
 * change encoding or decoding and are ignored, as their values are.
 *
 * <p>{@code tokenizer_class}: absent or {@code PreTrainedTokenizerFast} keeps tokenizer.json's post-processor.
 * {@code LlamaTokenizerFast} (and {@code LlamaTokenizer}, which transformers loads as it) has its own defaults
 * for absent special tokens ({@code <s>}, {@code </s>}, {@code <unk>}) and replaces the post-processor by BOS
 * ({@code add_bos_token}, default true) + text + EOS ({@code add_eos_token}, default false), as its
 * {@code update_post_processor} does (transformers 4.57). Any other class is an error naming it.
 *
 * @param bosToken  BOS token name, or null
 * @param eosToken  EOS token name, or null
 * @param padToken  pad token name, or null
 * @param cleanUpTokenizationSpaces whether transformers cleans up spaces after decoding (its default since
 *                                  v4.45: false)
 * @param llamaTemplate whether the post-processor is LlamaTokenizerFast's BOS/EOS template
 * @param addBosToken   with {@code llamaTemplate}: BOS before the text
 * @param addEosToken   with {@code llamaTemplate}: EOS after the text
 */
record TokenizerConfig(String bosToken, String eosToken, String padToken, boolean cleanUpTokenizationSpaces,
                       boolean llamaTemplate, boolean addBosToken, boolean addEosToken) {

    static final TokenizerConfig ABSENT = new TokenizerConfig(null, null, null, false, false, false, false);

    /** The classes whose special-token defaults and post-processor are LlamaTokenizerFast's. */
    private static final List<String> LLAMA_CLASSES = List.of("LlamaTokenizerFast", "LlamaTokenizer");

    /**
     * Reads the file, or returns {@link #ABSENT} when it does not exist; {@code added} (tokenizer.json's
     * added tokens) must hold every added or special token the file declares ({@link ConfigAddedTokens}).
     */
    static TokenizerConfig read(Path file, ObjectMapper mapper, List<AddedToken> added) {
        if (!Files.isRegularFile(file)) return ABSENT;
        JsonNode root;
        try {
            byte[] content = Files.readAllBytes(file);
            int invalid = Utf8.firstInvalid(content);
            if (invalid >= 0) throw new TokenizerException(file + ": not valid UTF-8 (byte offset " + invalid + ")");
            root = mapper.readTree(content);
        } catch (JacksonException e) {
            var loc = e.getLocation();
            throw new TokenizerException(file + ": invalid JSON" + (loc == null ? "" : " at line " + loc.getLineNr()
                    + ", column " + loc.getColumnNr()) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new TokenizerException(file + ": must hold a JSON object");
        if (root.path("split_special_tokens").asBoolean(false)) {
            throw new TokenizerException(file + ": split_special_tokens=true is not supported (special tokens typed in the"
                    + " text would be encoded as plain text; only false is implemented)");
        }
        JsonNode classNode = root.get("tokenizer_class");
        if (classNode != null && !classNode.isNull() && !classNode.isTextual()) {
            throw new TokenizerException(file + ": tokenizer_class must be a string, found " + classNode);
        }
        String tokenizerClass = classNode == null || classNode.isNull() ? null : classNode.textValue();
        boolean llama = tokenizerClass != null && LLAMA_CLASSES.contains(tokenizerClass);
        if (tokenizerClass != null && !llama && !tokenizerClass.equals("PreTrainedTokenizerFast")) {
            throw new TokenizerException(file + ": tokenizer_class '" + tokenizerClass + "' is not supported"
                    + " (PreTrainedTokenizerFast, LlamaTokenizerFast or LlamaTokenizer)");
        }
        Map<String, String> notes = new HashMap<>();
        if (llama) {   // LlamaTokenizerFast.__init__'s defaults for the special tokens the file does not give
            ObjectNode withDefaults = ((ObjectNode) root).deepCopy();
            for (String[] d : new String[][] {{"bos_token", "<s>"}, {"eos_token", "</s>"}, {"unk_token", "<unk>"}}) {
                if (withDefaults.has(d[0])) continue;
                withDefaults.put(d[0], d[1]);
                notes.put(d[0], " (" + tokenizerClass + "'s default: the file has no " + d[0] + ")");
            }
            root = withDefaults;
        }
        ConfigAddedTokens.check(root, file, added, notes);
        String bos = name(root, "bos_token", file);
        String eos = name(root, "eos_token", file);
        boolean addBos = llama && flag(root, "add_bos_token", true, file);
        boolean addEos = llama && flag(root, "add_eos_token", false, file);
        if (addBos && bos == null) throw new TokenizerException(file + ": add_bos_token is true but bos_token is null");
        if (addEos && eos == null) throw new TokenizerException(file + ": add_eos_token is true but eos_token is null");
        return new TokenizerConfig(bos, eos, name(root, "pad_token", file),
                root.path("clean_up_tokenization_spaces").asBoolean(false), llama, addBos, addEos);
    }

    private static boolean flag(JsonNode root, String field, boolean fallback, Path file) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.isBoolean()) throw new TokenizerException(file + ": " + field + " must be true or false, found " + n);
        return n.booleanValue();
    }

    private static String name(JsonNode root, String field, Path file) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return n.textValue();
        if (n.isObject() && n.path("content").isTextual()) return n.get("content").textValue();
        throw new TokenizerException(file + ": " + field + " must be a string or an object with a 'content' string, found " + n);
    }
}
