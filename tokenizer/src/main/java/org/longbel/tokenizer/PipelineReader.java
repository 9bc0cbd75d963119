package org.longbel.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the small sections of tokenizer.json (everything but the model) and checks that each names a
 * component and options we implement. Anything else is a {@link TokenizerException} naming the section,
 * the component type and the option, never a silent approximation.
 */
final class PipelineReader {
    private final String file;

    PipelineReader(String file) { this.file = file; }

    /** {@code added_tokens}: an array of token objects. */
    List<AddedToken> addedTokens(JsonNode node) {
        List<AddedToken> tokens = new ArrayList<>();
        if (node == null || node.isNull()) return tokens;
        if (!node.isArray()) throw error("added_tokens must be an array");
        for (int i = 0; i < node.size(); i++) {
            JsonNode t = node.get(i);
            String where = "added_tokens[" + i + "]";
            if (!t.path("id").isIntegralNumber() || !t.path("id").canConvertToInt() || !t.path("content").isTextual()) {
                throw error(where + " needs an integer 'id' and a string 'content'");
            }
            tokens.add(new AddedToken(t.get("id").intValue(), t.get("content").textValue(),
                    t.path("special").asBoolean(false), t.path("lstrip").asBoolean(false), t.path("rstrip").asBoolean(false),
                    t.path("single_word").asBoolean(false), t.path("normalized").asBoolean(true)));
        }
        return tokens;
    }

    /** {@code normalizer}: only null (no normalization) is implemented. */
    void normalizer(JsonNode node) {
        if (node != null && !node.isNull()) throw error("normalizer of type '" + node.path("type").asText("?") + "' is not supported (only null)");
    }

    /** {@code truncation} and {@code padding} must be null: encode never truncates or pads. */
    void noTruncationOrPadding(JsonNode truncation, JsonNode padding) {
        if (truncation != null && !truncation.isNull()) throw error("truncation is not supported (must be null)");
        if (padding != null && !padding.isNull()) throw error("padding is not supported (must be null)");
    }

    /**
     * {@code pre_tokenizer}: Split on the Llama-3 pattern (behaviour Isolated) followed by ByteLevel without
     * prefix space or regex, either as a Sequence or, for the ByteLevel part, alone.
     */
    PreTokenizer preTokenizer(JsonNode node) {
        if (node == null || node.isNull()) throw error("pre_tokenizer null is not supported (a ByteLevel pre-tokenizer is required)");
        List<JsonNode> stages = new ArrayList<>();
        if ("Sequence".equals(node.path("type").asText())) node.path("pretokenizers").forEach(stages::add);
        else stages.add(node);
        PreTokenizer split = null;
        boolean byteLevel = false;
        for (int i = 0; i < stages.size(); i++) {
            JsonNode s = stages.get(i);
            String type = s.path("type").asText("?");
            String where = "pre_tokenizer" + (stages.size() > 1 || node != s ? ".pretokenizers[" + i + "]" : "") + " (" + type + ")";
            if (byteLevel) throw error(where + ": nothing may follow the ByteLevel pre-tokenizer");
            switch (type) {
                case "Split" -> {
                    if (split != null) throw error(where + ": only one Split is supported");
                    String regex = s.path("pattern").path("Regex").asText(null);
                    if (regex == null) throw error(where + ": only a Regex pattern is supported, found " + s.path("pattern"));
                    if (!Llama3Splitter.PATTERN.equals(regex)) throw error(where + ": only the Llama-3 pattern is implemented, found " + regex);
                    if (!"Isolated".equals(s.path("behavior").asText())) throw error(where + ": behavior '" + s.path("behavior").asText() + "' is not supported (only Isolated)");
                    if (s.path("invert").asBoolean(false)) throw error(where + ": invert=true is not supported");
                    split = new Llama3Splitter();
                }
                case "ByteLevel" -> {
                    if (s.path("add_prefix_space").asBoolean(false)) throw error(where + ": add_prefix_space=true is not supported");
                    if (s.path("use_regex").asBoolean(true)) throw error(where + ": use_regex=true (the GPT-2 pattern) is not supported");
                    byteLevel = true;
                }
                default -> throw error(where + ": pre-tokenizer type '" + type + "' is not supported");
            }
        }
        if (!byteLevel) throw error("pre_tokenizer: a final ByteLevel pre-tokenizer is required");
        return split != null ? split : (text, start, end, sink) -> { if (end > start) sink.accept(start, end); };
    }

    /**
     * {@code post_processor}: null, TemplateProcessing, or a Sequence of TemplateProcessing and ByteLevel
     * (which only adjusts offsets and so changes no id). Only the {@code single} template is read: the
     * {@code pair} template applies to sentence pairs, which this tokenizer does not encode.
     */
    TemplatePostProcessor postProcessor(JsonNode node) {
        if (node == null || node.isNull()) return TemplatePostProcessor.NONE;
        List<JsonNode> stages = new ArrayList<>();
        if ("Sequence".equals(node.path("type").asText())) {
            if (!node.path("processors").isArray()) throw error("post_processor (Sequence): 'processors' must be an array");
            node.path("processors").forEach(stages::add);
        } else {
            stages.add(node);
        }
        TemplatePostProcessor template = TemplatePostProcessor.NONE;
        boolean seen = false;
        for (int i = 0; i < stages.size(); i++) {
            JsonNode s = stages.get(i);
            String type = s.path("type").asText("?");
            String where = "post_processor" + (node != s ? ".processors[" + i + "]" : "") + " (" + type + ")";
            switch (type) {
                case "ByteLevel" -> { }
                case "TemplateProcessing" -> {
                    if (seen) throw error(where + ": only one TemplateProcessing is supported");
                    template = template(s, where);
                    seen = true;
                }
                default -> throw error(where + ": post-processor type '" + type + "' is not supported");
            }
        }
        return template;
    }

    private TemplatePostProcessor template(JsonNode s, String where) {
        JsonNode single = s.path("single");
        if (!single.isArray()) throw error(where + ": 'single' must be an array");
        List<Integer> prefix = new ArrayList<>();
        List<Integer> suffix = new ArrayList<>();
        boolean sequenceSeen = false;
        for (JsonNode piece : single) {
            if (piece.has("Sequence")) {
                String id = piece.path("Sequence").path("id").asText();
                if (!"A".equals(id) || sequenceSeen) throw error(where + ": the single template must hold sequence A exactly once");
                sequenceSeen = true;
            } else if (piece.has("SpecialToken")) {
                String name = piece.path("SpecialToken").path("id").asText();
                JsonNode ids = s.path("special_tokens").path(name).path("ids");
                if (!ids.isArray() || ids.isEmpty()) throw error(where + ": special token '" + name + "' has no ids in special_tokens");
                for (JsonNode id : ids) {
                    if (!id.canConvertToInt() || !id.isIntegralNumber()) {
                        throw error(where + ": special token '" + name + "' has a non-integer id " + id);
                    }
                    (sequenceSeen ? suffix : prefix).add(id.intValue());
                }
            } else {
                throw error(where + ": template piece " + piece + " is not supported");
            }
        }
        if (!sequenceSeen) throw error(where + ": the single template must hold sequence A");
        return new TemplatePostProcessor(prefix.stream().mapToInt(Integer::intValue).toArray(),
                suffix.stream().mapToInt(Integer::intValue).toArray());
    }

    /** {@code decoder}: only ByteLevel is implemented (its options only concern offsets). */
    void decoder(JsonNode node) {
        String type = node == null || node.isNull() ? "null" : node.path("type").asText("?");
        if (!"ByteLevel".equals(type)) throw error("decoder '" + type + "' is not supported (only ByteLevel)");
    }

    /** Top-level fields of tokenizer.json; any other is an error. */
    private static final List<String> KNOWN_FIELDS = List.of("version", "truncation", "padding", "added_tokens", "normalizer",
            "pre_tokenizer", "post_processor", "decoder", "model");

    /** Rejects top-level fields that are not part of the format. */
    void checkFields(Map<String, JsonNode> sections) {
        for (String field : sections.keySet()) {
            if (!KNOWN_FIELDS.contains(field)) throw error("unknown top-level field '" + field + "'");
        }
    }

    private TokenizerException error(String message) { return new TokenizerException(file + ": " + message); }
}
