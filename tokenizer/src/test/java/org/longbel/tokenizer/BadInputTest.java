package org.longbel.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs the tokenizer must reject with a message a user can act on, and lone surrogates. */
class BadInputTest {
    @TempDir Path dir;

    private String loadError(Consumer<MiniTokenizerJson> change) {
        MiniTokenizerJson json = new MiniTokenizerJson();
        change.accept(json);
        Path file = json.write(dir);
        return assertThrows(TokenizerException.class, () -> Tokenizer.fromFile(file)).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), () -> "'" + p + "' not in: " + message);
    }

    @Test
    void invalidJsonNamesLineAndColumn() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, "{\n  \"version\": \"1.0\",\n  \"model\": {\"type\": \"BPE\" \"vocab\": {}}\n}\n");
        String message = assertThrows(TokenizerException.class, () -> Tokenizer.fromFile(file)).getMessage();
        assertContains(message, file.toString(), "invalid JSON", "line 3", "column 27");
    }

    @Test
    void truncatedJsonIsAnError() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0");
        assertContains(assertThrows(TokenizerException.class, () -> Tokenizer.fromFile(file)).getMessage(), "invalid JSON", "line 1");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nowhere");
        assertContains(assertThrows(TokenizerException.class, () -> Tokenizer.fromDirectory(missing)).getMessage(),
                "tokenizer.json", "not found");
    }

    @Test
    void mergeReferencingAMissingVocabEntry() {
        String message = loadError(j -> j.merges.add("a zz"));
        assertContains(message, "model.merges[0]", "'zz' is not in model.vocab");
        message = loadError(j -> { j.merge("a", "b"); j.merges.add("ab c"); });
        assertContains(message, "model.merges[1]", "the merged token 'abc' is not in model.vocab");
    }

    @Test
    void malformedMerge() {
        assertContains(loadError(j -> j.merges.add("abc")), "model.merges[0]", "\"left right\"");
        assertContains(loadError(j -> j.merges.addArray().add("a")), "model.merges[0]", "pair of strings");
    }

    @Test
    void unknownModelType() {
        assertContains(loadError(j -> j.model().put("type", "WordPiece")), "model.type 'WordPiece' is not supported");
    }

    @Test
    void unsupportedModelOptions() {
        assertContains(loadError(j -> j.model().put("unk_token", "<unk>")), "model.unk_token");
        assertContains(loadError(j -> j.model().put("dropout", 0.1)), "model.dropout");
        assertContains(loadError(j -> j.model().put("continuing_subword_prefix", "##")), "model.continuing_subword_prefix");
        assertContains(loadError(j -> j.model().put("byte_fallback", true)), "model.byte_fallback");
        assertContains(loadError(j -> j.model().put("surprise", 1)), "model.surprise");
    }

    @Test
    void missingByteToken() {
        assertContains(loadError(j -> j.vocab.remove("Ġ")), "tokenizer.json: model.vocab: the byte-level token for byte 0x20", "missing");
    }

    @Test
    void vocabularyIdsAreBounded() {
        // an id of 2^31 - 1 asked for an id table of that size, and id + 1 overflowed (an index out of bounds)
        assertContains(loadError(j -> j.vocab.put("a", Integer.MAX_VALUE)),
                "tokenizer.json: model.vocab['a'] has id 2147483647, above the largest id supported (16777215)");
        assertContains(loadError(j -> j.vocab.put("a", 1 << 24)), "model.vocab['a'] has id 16777216");
    }

    @Test
    void modelOptionsOfTheWrongTypeAreNamed() {
        // an object was left unread, so its fields were taken for the model's own (here: a WordPiece type)
        assertContains(loadError(j -> j.model().putObject("ignore_merges").put("type", "WordPiece")),
                "model.ignore_merges must be true or false, found START_OBJECT");
        assertContains(loadError(j -> j.model().putArray("fuse_unk").add(1)), "model.fuse_unk must be true or false");
        assertContains(loadError(j -> j.model().put("byte_fallback", "no")), "model.byte_fallback must be true or false");
        assertContains(loadError(j -> j.model().put("dropout", "0")), "model.dropout must be null or a number");
        assertContains(loadError(j -> j.model().putArray("type").add("BPE")), "model.type must be a string");
        assertContains(loadError(j -> j.addAdded("<x>", false).put("id", 257.5)), "added_tokens[1] needs an integer 'id'");
    }

    @Test
    void duplicateTopLevelFieldsAreAnError() throws IOException {
        Path file = new MiniTokenizerJson().write(dir);
        String text = Files.readString(file);
        Files.writeString(file, text.replaceFirst("\\{", "{\"normalizer\": null, "));
        assertContains(assertThrows(TokenizerException.class, () -> Tokenizer.fromFile(file)).getMessage(),
                "the top-level field 'normalizer' appears twice");
    }

    @Test
    void filesThatAreNotUtf8AreRefusedAsHuggingFaceDoes() throws IOException {
        Path file = new MiniTokenizerJson().write(dir);
        byte[] bytes = Files.readAllBytes(file);
        int at = Files.readString(file).indexOf("\"1.0\"") + 1;   // ASCII before it: char index = byte offset
        bytes[at] = (byte) 0xFF;
        Files.write(file, bytes);
        assertContains(assertThrows(TokenizerException.class, () -> Tokenizer.fromFile(file)).getMessage(),
                "tokenizer.json: not valid UTF-8 (byte offset " + at + ")");
        new MiniTokenizerJson().write(dir);
        Files.write(dir.resolve("tokenizer_config.json"), new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '(', '"', '}'});
        assertContains(assertThrows(TokenizerException.class, () -> Tokenizer.fromFile(file)).getMessage(),
                "tokenizer_config.json: not valid UTF-8 (byte offset 6)");
    }

    @Test
    void unsupportedComponentsAreNamed() {
        assertContains(loadError(j -> j.root.putObject("normalizer").put("type", "NFC")), "normalizer", "'NFC'");
        assertContains(loadError(j -> j.root.putObject("pre_tokenizer").put("type", "Whitespace")), "pre_tokenizer", "'Whitespace'");
        assertContains(loadError(j -> j.root.putObject("pre_tokenizer").put("type", "ByteLevel").put("use_regex", true)
                .put("add_prefix_space", false)), "use_regex=true");
        assertContains(loadError(j -> ((com.fasterxml.jackson.databind.node.ObjectNode) j.root.get("pre_tokenizer").get("pretokenizers").get(0))
                .putObject("pattern").put("Regex", "\\s+")), "only the Llama-3 pattern", "\\s+");
        assertContains(loadError(j -> ((com.fasterxml.jackson.databind.node.ObjectNode) j.root.get("pre_tokenizer").get("pretokenizers").get(0))
                .put("behavior", "Removed")), "behavior 'Removed'");
        assertContains(loadError(j -> j.root.putObject("post_processor").put("type", "BertProcessing")), "post-processor type 'BertProcessing'");
        assertContains(loadError(j -> j.root.putObject("decoder").put("type", "WordPiece")), "decoder 'WordPiece'");
        assertContains(loadError(j -> j.root.putNull("decoder")), "decoder 'null'");
        assertContains(loadError(j -> j.root.putObject("truncation").put("max_length", 8)), "truncation");
        assertContains(loadError(j -> j.root.put("extra", 1)), "unknown top-level field 'extra'");
    }

    @Test
    void malformedPostProcessorsAreNamed() {
        assertContains(loadError(j -> j.root.putObject("post_processor").put("type", "Sequence")),
                "post_processor (Sequence)", "'processors' must be an array");
        assertContains(loadError(j -> ((com.fasterxml.jackson.databind.node.ArrayNode) j.root.get("post_processor")
                        .get("special_tokens").get("<s>").get("ids")).set(0, "256")),
                "special token '<s>' has a non-integer id \"256\"");
    }

    /** The message of loading {@code dir} (a tokenizer.json already written) with this tokenizer_config.json. */
    private String configError(String configJson) throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), configJson);
        return assertThrows(TokenizerException.class, () -> Tokenizer.fromDirectory(dir)).getMessage();
    }

    @Test
    void splitSpecialTokensIsRejected() throws IOException {
        new MiniTokenizerJson().write(dir);
        assertContains(configError("{\"split_special_tokens\": true}"), "tokenizer_config.json", "split_special_tokens=true is not supported");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"split_special_tokens\": false}");
        assertEquals(256, Tokenizer.fromDirectory(dir).bosId());
    }

    @Test
    void configMayNotDeclareTokensThatTokenizerJsonLacks() throws IOException {
        MiniTokenizerJson json = new MiniTokenizerJson();
        json.addAdded("<m>", true);
        json.write(dir);
        String same = "{\"content\": \"<m>\", \"lstrip\": false, \"normalized\": false, \"rstrip\": false, \"single_word\": false, \"special\": true}";
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"added_tokens_decoder\": {\"257\": " + same + "}, \"additional_special_tokens\": [\"<m>\"], \"eos_token\": \"<m>\"}");
        assertEquals(257, Tokenizer.fromDirectory(dir).eosId());

        assertContains(configError("{\"added_tokens_decoder\": {\"257\": " + same.replace("\"rstrip\": false", "\"rstrip\": true") + "}}"),
                "tokenizer_config.json", "added_tokens_decoder['257']", "differs from tokenizer.json's added token");
        assertContains(configError("{\"additional_special_tokens\": [\"<m>\", \"<new>\"]}"),
                "additional_special_tokens[1] '<new>' is not among tokenizer.json's added_tokens");
        // "a" is in the vocabulary, but not an added token
        assertContains(configError("{\"pad_token\": {\"content\": \"a\"}}"), "pad_token 'a' is not among tokenizer.json's added_tokens");
    }

    @Test
    void addedTokenIdsMustBeTheOnesHuggingFaceGives() {
        String message = loadError(j -> j.addAdded("<x>", false).put("id", 5000));
        assertContains(message, "added_tokens[1] '<x>' has id 5000, but Hugging Face gives it id 257");
        message = loadError(j -> j.addAdded("a", false).put("id", 3));
        assertContains(message, "'a' has id 3, but Hugging Face gives it id 97");
    }

    @Test
    void badTokenizerConfig() throws IOException {
        new MiniTokenizerJson().write(dir);
        assertContains(configError("{\"bos_token\": \"<nope>\"}"), "tokenizer_config.json", "bos_token '<nope>'");
        assertContains(configError("{\"bos_token\": "), "tokenizer_config.json", "invalid JSON", "line 1");
    }

    @Test
    void loneSurrogatesEncodeAsReplacementCharacters() {
        Tokenizer tok = Fixtures.tokenizer("longbel");
        assertArrayEquals(tok.encode("a\uFFFDb", false), tok.encode("a\uD800b", false));
        assertArrayEquals(tok.encode("\uFFFD", false), tok.encode("\uDC00", false));
        assertArrayEquals(tok.encode("x\uFFFD", false), tok.encode("x\uD83D", false));
        assertArrayEquals(tok.encode("\uD83D\uDE00\uFFFD\uFFFD", false), tok.encode("\uD83D\uDE00\uDE00\uD800", false));
        assertEquals("a\uFFFDb", tok.decode(tok.encode("a\uD800b", false), false));
    }

    @Test
    void decodeRejectsIdsOutsideTheVocabulary() {
        Tokenizer tok = Fixtures.tokenizer("longbel");
        assertEquals(128257, tok.vocabSize());
        String message = assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {1, 128257}, false)).getMessage();
        assertContains(message, "128257", "position 1", "outside the vocabulary");
        assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {-1}, true));
        assertThrows(IllegalArgumentException.class, () -> tok.idToToken(200000));
    }
}
