package org.longbel.tokenizer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a {@link Tokenizer} from tokenizer.json and the optional sibling tokenizer_config.json. */
final class TokenizerLoader {
    /** Field names are not canonicalized: the vocabulary's 128k keys would only fill the symbol table. */
    private static final ObjectMapper MAPPER = new ObjectMapper(
            JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build());

    private TokenizerLoader() {}

    static Tokenizer load(Path tokenizerJson) {
        String file = tokenizerJson.toString();
        byte[] content;
        try {
            content = Files.readAllBytes(tokenizerJson);
        } catch (NoSuchFileException e) {
            throw new TokenizerException(file + ": file not found");
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot read: " + e.getMessage(), e);
        }
        int invalid = Utf8.firstInvalid(content);
        if (invalid >= 0) throw new TokenizerException(file + ": not valid UTF-8 (byte offset " + invalid + ")");
        Map<String, JsonNode> sections = new LinkedHashMap<>();
        BpeModelReader model = new BpeModelReader(file);
        boolean modelSeen = false;
        try (JsonParser p = MAPPER.createParser(content)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new TokenizerException(file + ": must hold a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (sections.containsKey(field) || (modelSeen && field.equals("model"))) {
                    throw new TokenizerException(file + ": the top-level field '" + field + "' appears twice (line "
                            + p.currentLocation().getLineNr() + ", column " + p.currentLocation().getColumnNr() + ")");
                }
                if (field.equals("model")) { model.read(p); modelSeen = true; }
                else sections.put(field, p.readValueAsTree());
            }
            if (p.nextToken() != null) throw new TokenizerException(file + ": unexpected content after the JSON object (line "
                    + p.currentLocation().getLineNr() + ", column " + p.currentLocation().getColumnNr() + ")");
        } catch (JacksonException e) {
            var loc = e.getLocation();
            throw new TokenizerException(file + ": invalid JSON" + (loc == null ? "" : " at line " + loc.getLineNr()
                    + ", column " + loc.getColumnNr()) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (!modelSeen) throw new TokenizerException(file + ": the 'model' section is missing");

        PipelineReader pipeline = new PipelineReader(file);
        pipeline.checkFields(sections);
        pipeline.noTruncationOrPadding(sections.get("truncation"), sections.get("padding"));
        pipeline.normalizer(sections.get("normalizer"));
        PreTokenizer preTokenizer = pipeline.preTokenizer(sections.get("pre_tokenizer"));
        TemplatePostProcessor post = pipeline.postProcessor(sections.get("post_processor"));
        pipeline.decoder(sections.get("decoder"));
        List<AddedToken> added = pipeline.addedTokens(sections.get("added_tokens"));

        BpeModel bpe = new BpeModel(file, model.vocabByBytes, model.mergeIds, model.mergeCount, model.ignoreMerges);
        Vocabulary vocabulary = Vocabulary.build(file, model.vocab, added);
        for (int id : post.prefix()) vocabulary.checkId(id, "post_processor template");
        for (int id : post.suffix()) vocabulary.checkId(id, "post_processor template");

        Path configFile = tokenizerJson.resolveSibling("tokenizer_config.json");
        TokenizerConfig config = TokenizerConfig.read(configFile, MAPPER, added);
        int bos = resolve(vocabulary, config.bosToken(), configFile, "bos_token");
        if (bos < 0 && post.prefix().length > 0) bos = post.prefix()[0];
        int eos = resolve(vocabulary, config.eosToken(), configFile, "eos_token");
        int pad = resolve(vocabulary, config.padToken(), configFile, "pad_token");
        if (pad < 0) pad = eos;
        if (config.llamaTemplate()) {   // LlamaTokenizerFast.update_post_processor
            post = new TemplatePostProcessor(config.addBosToken() ? new int[] {bos} : new int[0],
                    config.addEosToken() ? new int[] {eos} : new int[0]);
        }
        return new Tokenizer(vocabulary, new AddedTokenSplitter(added), preTokenizer, bpe, post,
                bos, eos, pad, config.cleanUpTokenizationSpaces());
    }

    private static int resolve(Vocabulary vocabulary, String name, Path configFile, String field) {
        if (name == null) return -1;
        int id = vocabulary.tokenToId(name);
        if (id < 0) throw new TokenizerException(configFile + ": " + field + " '" + name + "' is not a token of the vocabulary");
        return id;
    }
}
