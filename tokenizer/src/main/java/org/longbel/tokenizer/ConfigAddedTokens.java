package org.longbel.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that tokenizer_config.json declares no added token that tokenizer.json lacks. When loading,
 * transformers adds to the Rust tokenizer every entry of {@code added_tokens_decoder} whose content or
 * flags differ from tokenizer.json's, and every special token ({@code bos_token}, {@code eos_token},
 * {@code pad_token}, {@code unk_token}, {@code additional_special_tokens}) that is not an added token
 * yet; either would change how text is split. Rather than guess at that merge, such a file is an error
 * naming the token.
 */
final class ConfigAddedTokens {
    /** transformers' {@code SPECIAL_TOKENS_ATTRIBUTES}, but for {@code additional_special_tokens}. */
    private static final List<String> SPECIAL_FIELDS = List.of("bos_token", "eos_token", "unk_token", "sep_token", "pad_token",
            "cls_token", "mask_token");

    private ConfigAddedTokens() {}

    /**
     * @param config the parsed tokenizer_config.json
     * @param file   its path, for messages
     * @param added  tokenizer.json's {@code added_tokens}
     * @param notes  per special-token field, what to add to its message (a tokenizer class's default, for one the
     *               file does not give)
     */
    static void check(JsonNode config, Path file, List<AddedToken> added, Map<String, String> notes) {
        Map<String, AddedToken> byContent = new HashMap<>();
        for (AddedToken t : added) byContent.put(t.content(), t);
        checkDecoder(config.path("added_tokens_decoder"), file, byContent);
        Map<String, JsonNode> specials = new LinkedHashMap<>();
        for (String field : SPECIAL_FIELDS) specials.put(field, config.get(field));
        JsonNode extra = config.path("additional_special_tokens");
        for (int i = 0; i < extra.size(); i++) specials.put("additional_special_tokens[" + i + "]", extra.get(i));
        specials.forEach((where, n) -> {
            String content = n == null || n.isNull() ? null : n.isTextual() ? n.textValue() : n.path("content").asText(null);
            if (content != null && !byContent.containsKey(content)) {
                throw new TokenizerException(file + ": " + where + " '" + content + "'" + notes.getOrDefault(where, "") + " is not among tokenizer.json's added_tokens"
                        + " (transformers would add it as a new special token; this is not supported)");
            }
        });
    }

    private static void checkDecoder(JsonNode decoder, Path file, Map<String, AddedToken> byContent) {
        if (decoder.isMissingNode() || decoder.isNull()) return;
        if (!decoder.isObject()) throw new TokenizerException(file + ": added_tokens_decoder must be an object {id: token}");
        decoder.properties().forEach(e -> {
            JsonNode t = e.getValue();
            String where = "added_tokens_decoder['" + e.getKey() + "']";
            String content = t.path("content").asText(null);
            AddedToken ours = content == null ? null : byContent.get(content);
            boolean same = ours != null   // transformers compares content and flags (the repr), not the id
                    && ours.special() == t.path("special").asBoolean(false)
                    && ours.lstrip() == t.path("lstrip").asBoolean(false)
                    && ours.rstrip() == t.path("rstrip").asBoolean(false)
                    && ours.singleWord() == t.path("single_word").asBoolean(false)
                    && ours.normalized() == t.path("normalized").asBoolean(true);
            if (!same) {
                throw new TokenizerException(file + ": " + where + " " + t + " differs from tokenizer.json's added token "
                        + (ours == null ? "(none has this content)" : ours)
                        + " (transformers would re-add it with these settings; this is not supported)");
            }
        });
    }
}
