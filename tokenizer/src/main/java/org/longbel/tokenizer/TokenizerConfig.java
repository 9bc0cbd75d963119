package org.longbel.tokenizer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The parts of transformers' {@code tokenizer_config.json} the tokenizer uses: the names of the BOS, EOS
 * and pad tokens (a string or an {@code AddedToken} object with a {@code content}) and
 * {@code clean_up_tokenization_spaces}. {@code split_special_tokens=true}, which makes transformers encode
 * special tokens typed in the text as plain text, is rejected.
 *
 * @param bosToken  BOS token name, or null
 * @param eosToken  EOS token name, or null
 * @param padToken  pad token name, or null
 * @param cleanUpTokenizationSpaces whether transformers cleans up spaces after decoding (its default since
 *                                  v4.45: false)
 */
record TokenizerConfig(String bosToken, String eosToken, String padToken, boolean cleanUpTokenizationSpaces) {

    static final TokenizerConfig ABSENT = new TokenizerConfig(null, null, null, false);

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
        ConfigAddedTokens.check(root, file, added);
        return new TokenizerConfig(name(root, "bos_token", file), name(root, "eos_token", file), name(root, "pad_token", file),
                root.path("clean_up_tokenization_spaces").asBoolean(false));
    }

    private static String name(JsonNode root, String field, Path file) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return n.textValue();
        if (n.isObject() && n.path("content").isTextual()) return n.get("content").textValue();
        throw new TokenizerException(file + ": " + field + " must be a string or an object with a 'content' string, found " + n);
    }
}
