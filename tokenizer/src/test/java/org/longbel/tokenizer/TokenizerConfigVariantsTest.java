package org.longbel.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real-world forms of {@code tokenizer_config.json} beside the LongBEL tokenizer.json: each must load as Hugging
 * Face loads it. The expected ids and special ids were printed by transformers 4.57.6 / tokenizers 0.22
 * ({@code AutoTokenizer.from_pretrained} on a directory with the fixture's tokenizer.json and the edited config,
 * then {@code tokenizer(TEXT)["input_ids"]}, {@code bos_token_id}, {@code eos_token_id}, {@code pad_token_id}).
 */
class TokenizerConfigVariantsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "Le patient a un [diabète] {Disorders} <+> <unk> <|eot_id|>";
    /** The text's ids without special tokens: "<unk>" is plain text (366, 3200, 29) for the LongBEL tokenizer. */
    private static final int[] BODY = {2356, 8893, 264, 653, 220, 58, 8747, 370, 66522, 60, 220, 90, 4944, 8076, 92, 220,
            128256, 366, 3200, 29, 220, 128009};
    private static final int BOS = 128000, EOT = 128009;

    @TempDir Path dir;

    /** Loads the fixture tokenizer.json with the fixture's tokenizer_config.json changed by {@code edit}. */
    private Tokenizer load(Consumer<ObjectNode> edit) throws IOException {
        Path source = Fixtures.tokenizerDir("longbel");
        Path link = dir.resolve("tokenizer.json");
        if (!Files.exists(link)) Files.createSymbolicLink(link, source.resolve("tokenizer.json").toAbsolutePath());
        ObjectNode config = (ObjectNode) JSON.readTree(source.resolve("tokenizer_config.json").toFile());
        edit.accept(config);
        JSON.writeValue(dir.resolve("tokenizer_config.json").toFile(), config);
        return Tokenizer.fromDirectory(dir);
    }

    /** Hugging Face's result for the fixture's own config and every variant that changes nothing. */
    private static void assertLikeTheFixture(Tokenizer t) {
        assertArrayEquals(withBos(), t.encode(TEXT, true));
        assertEquals(BOS, t.bosId());
        assertEquals(EOT, t.eosId());
        assertEquals(EOT, t.padId());
        assertTrue(t.cleanUpTokenizationSpaces());
    }

    private static int[] withBos() {
        int[] ids = new int[BODY.length + 1];
        ids[0] = BOS;
        System.arraycopy(BODY, 0, ids, 1, BODY.length);
        return ids;
    }

    private static ObjectNode addedToken(String content) {
        return JSON.createObjectNode().put("__type", "AddedToken").put("content", content).put("lstrip", false)
                .put("normalized", false).put("rstrip", false).put("single_word", false).put("special", true);
    }

    @Test
    void theFixtureConfigAsWritten() throws IOException {
        assertLikeTheFixture(load(c -> { }));
    }

    @Test
    void withoutAddedTokensDecoder() throws IOException {
        assertLikeTheFixture(load(c -> c.remove("added_tokens_decoder")));
    }

    @Test
    void chatTemplateAsAListOfNamedTemplates() throws IOException {
        assertLikeTheFixture(load(c -> {
            var list = c.putArray("chat_template");
            list.addObject().put("name", "default").put("template", "{{ bos_token }}");
            list.addObject().put("name", "tool_use").put("template", "x");
        }));
    }

    @Test
    void specialTokensAsAddedTokenObjects() throws IOException {
        assertLikeTheFixture(load(c -> {
            c.set("bos_token", addedToken("<|begin_of_text|>"));
            c.set("eos_token", addedToken("<|eot_id|>"));
            c.set("pad_token", addedToken("<|eot_id|>"));
        }));
    }

    @Test
    void hugeModelMaxLengthAsAFloat() throws IOException {
        // the fixture has the integer 1000000000000000019884624838656 that transformers writes; 1e30 is its float form
        assertLikeTheFixture(load(c -> c.put("model_max_length", 1e30)));
    }

    @Test
    void unknownKeysAndLlamaOnlyFlagsAreIgnoredByPreTrainedTokenizerFast() throws IOException {
        assertLikeTheFixture(load(c -> {
            c.putObject("foo").putArray("bar").add(1).add(2);
            c.put("legacy", false).put("processor_class", "X");
            c.put("add_bos_token", false).put("add_eos_token", true);   // only LlamaTokenizerFast reads these
        }));
    }

    @Test
    void llamaTokenizerFastWithoutUnkToken() throws IOException {
        assertLikeTheFixture(load(c -> c.put("tokenizer_class", "LlamaTokenizerFast").putNull("unk_token")));
        // transformers loads the class name LlamaTokenizer as LlamaTokenizerFast
        assertLikeTheFixture(load(c -> c.put("tokenizer_class", "LlamaTokenizer").putNull("unk_token")));
    }

    @Test
    void llamaTokenizerFastRebuildsTheTemplateFromItsFlags() throws IOException {
        Tokenizer t = load(c -> c.put("tokenizer_class", "LlamaTokenizerFast").putNull("unk_token")
                .put("add_bos_token", false).put("add_eos_token", true));
        int[] expected = Arrays.copyOf(BODY, BODY.length + 1);
        expected[BODY.length] = EOT;
        assertArrayEquals(expected, t.encode(TEXT, true));
        assertArrayEquals(BODY, t.encode(TEXT, false));
        assertEquals(BOS, t.bosId());
    }

    @Test
    void specialTokensHuggingFaceWouldAddAreRefusedByName() throws IOException {
        // transformers adds them as new tokens (LlamaTokenizerFast's default unk "<unk>" as 128257, and "<unk>" typed in
        // the text then becomes that token; likewise a sep_token "<sep>"): not supported, so named
        String message = assertThrows(TokenizerException.class,
                () -> load(c -> c.put("tokenizer_class", "LlamaTokenizerFast"))).getMessage();
        assertTrue(message.contains("tokenizer_config.json: unk_token '<unk>' (LlamaTokenizerFast's default: the file has no unk_token)"
                + " is not among tokenizer.json's added_tokens"), message);
        message = assertThrows(TokenizerException.class, () -> load(c -> c.put("sep_token", "<sep>"))).getMessage();
        assertTrue(message.contains("sep_token '<sep>' is not among tokenizer.json's added_tokens"), message);
    }

    @Test
    void otherTokenizerClassesAreNamed() {
        String message = assertThrows(TokenizerException.class,
                () -> load(c -> c.put("tokenizer_class", "GPT2TokenizerFast"))).getMessage();
        assertTrue(message.contains("tokenizer_class 'GPT2TokenizerFast' is not supported"), message);
        message = assertThrows(TokenizerException.class, () -> load(c -> c.put("tokenizer_class", 5))).getMessage();
        assertTrue(message.contains("tokenizer_class must be a string"), message);
    }
}
