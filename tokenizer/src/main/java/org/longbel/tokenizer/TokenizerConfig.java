package org.longbel.tokenizer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The parts of transformers' {@code tokenizer_config.json} the tokenizer uses: the names of the BOS, EOS
 * and pad tokens (a string or an {@code AddedToken} object with a {@code content}) and
 * {@code clean_up_tokenization_spaces}.
 *
 * @param bosToken  BOS token name, or null
 * @param eosToken  EOS token name, or null
 * @param padToken  pad token name, or null
 * @param cleanUpTokenizationSpaces whether transformers cleans up spaces after decoding (its default: true)
 */
record TokenizerConfig(String bosToken, String eosToken, String padToken, boolean cleanUpTokenizationSpaces) {

    static final TokenizerConfig ABSENT = new TokenizerConfig(null, null, null, true);

    /** Reads the file, or returns {@link #ABSENT} when it does not exist. */
    static TokenizerConfig read(Path file, ObjectMapper mapper) {
        if (!Files.isRegularFile(file)) return ABSENT;
        JsonNode root;
        try {
            root = mapper.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new TokenizerException(file + ": invalid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new TokenizerException(file + ": must hold a JSON object");
        return new TokenizerConfig(name(root, "bos_token", file), name(root, "eos_token", file), name(root, "pad_token", file),
                root.path("clean_up_tokenization_spaces").asBoolean(true));
    }

    private static String name(JsonNode root, String field, Path file) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return n.textValue();
        if (n.isObject() && n.path("content").isTextual()) return n.get("content").textValue();
        throw new TokenizerException(file + ": " + field + " must be a string or an object with a 'content' string, found " + n);
    }
}
