package org.longbel.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longbel.tokenizer.Tokenizer;

/**
 * The search's ids come from the checkpoint: eos = the tokenizer's {@code <|eot_id|>} (else its
 * eos_token), pad = generation_config's {@code pad_token_id} (else that eos), bos = the tokenizer's.
 */
class SpecialIdsTest {

    private static final int BOS = 128000;
    private static final int EOS = 128009;
    private static final int END_OF_TEXT = 128001;
    private static final int PAD = 128004; // <|reserved_special_token_2|> in this vocabulary
    private static final int V = 128257;
    private static final Path TINY = Fixtures.root().resolve("models/tiny-llama32");

    private static Tokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = Tokenizer.fromDirectory(TINY);
    }

    @Test
    void theTinyCheckpointGivesLongBelsIds() throws IOException {
        GenerationConfig gc = GenerationConfig.readCheckpoint(TINY);
        SpecialIds ids = SpecialIds.resolve(tokenizer, gc);
        assertEquals(new SpecialIds(BOS, EOS, EOS), ids, "no pad_token_id: pad = the eos passed");
        DecodingSettings s = gc.longBelSettings(ids, 5, true, 0);
        assertArrayEquals(new int[] {EOS}, s.eosIds(), "the single <|eot_id|>, not the config's eos list");
        assertEquals(EOS, s.padId());
        assertEquals(BOS, s.bosId());
    }

    @Test
    void padTokenIdOfTheGenerationConfigIsTheSearchsPad(@TempDir Path dir) throws IOException {
        GenerationConfig gc = generationConfig(dir, "{\"do_sample\": false, \"pad_token_id\": " + PAD + "}");
        SpecialIds ids = SpecialIds.resolve(tokenizer, gc);
        assertEquals(new SpecialIds(BOS, EOS, PAD), ids);
        DecodingSettings s = gc.longBelSettings(ids, 1, false, 0);
        assertEquals(PAD, s.padId());
        assertArrayEquals(new int[] {EOS}, s.eosIds());
        assertTrue(s.isSpecial(PAD), "left out of the score mean");

        // the constraint gets the same ids: where the key is not in the trie (this prompt has no "}"),
        // only pad and eos are allowed; the scripted model prefers the pad, then eos
        int close = tokenizer.tokenToId("}");
        Constraint c = new TrieConstraint(MapTrie.of(List.of(new int[] {close, 10, EOS})), ids.eos(), ids.pad(),
                false, close, tokenizer.tokenToId("<+>"));
        ScriptedLm lm = new ScriptedLm.Table(V).after(new int[0], PAD, .6, EOS, .3).after(new int[] {PAD}, EOS, .9);
        int[] prompt = {BOS, 58, 60};
        Hypothesis h = ScriptedLm.drive(Decoding.newSearch(prompt, V, c, s), lm).hypotheses().get(0);
        assertArrayEquals(new int[] {PAD, EOS}, h.tokens(), "the search ran on after the pad and stopped at eos");
        assertArrayEquals(new boolean[] {true, true}, h.special());

        // without pad_token_id, pad = eos: the same model can only end at once
        SpecialIds plain = SpecialIds.resolve(tokenizer, GenerationConfig.DEFAULTS);
        Constraint c2 = new TrieConstraint(MapTrie.of(List.of(new int[] {close, 10, EOS})), plain.eos(), plain.pad(),
                false, close, -1);
        Hypothesis h2 = ScriptedLm.drive(Decoding.newSearch(prompt, V, c2,
                GenerationConfig.DEFAULTS.longBelSettings(plain, 1, true, 0)), lm).hypotheses().get(0);
        assertArrayEquals(new int[] {EOS}, h2.tokens());
    }

    @Test
    void theTokenizersPadTokenIsNotTheSearchsPad(@TempDir Path dir) throws IOException {
        // Hugging Face's generate fills with generation_config's pad_token_id, else eos[0]
        Tokenizer t = tokenizer(dir, false, "{\"bos_token\": \"<|begin_of_text|>\", \"eos_token\": \"<|eot_id|>\", "
                + "\"pad_token\": \"<|reserved_special_token_2|>\"}");
        assertEquals(PAD, t.padId());
        assertEquals(new SpecialIds(BOS, EOS, EOS), SpecialIds.resolve(t, GenerationConfig.DEFAULTS));
    }

    @Test
    void withoutEotIdTheTokenizersEosIsUsed(@TempDir Path dir) throws IOException {
        Tokenizer t = tokenizer(dir, true, "{\"bos_token\": \"<|begin_of_text|>\", \"eos_token\": \"<|end_of_text|>\"}");
        assertEquals(-1, t.tokenToId("<|eot_id|>"));
        assertEquals(new SpecialIds(BOS, END_OF_TEXT, END_OF_TEXT), SpecialIds.resolve(t, GenerationConfig.DEFAULTS));
    }

    @Test
    void noEosAtAllIsAClearError(@TempDir Path dir) throws IOException {
        Tokenizer t = tokenizer(dir, true, "{\"bos_token\": \"<|begin_of_text|>\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpecialIds.resolve(t, GenerationConfig.DEFAULTS));
        assertTrue(e.getMessage().contains("<|eot_id|>") && e.getMessage().contains("eos_token"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SpecialIds(BOS, -1, -1));
    }

    private static GenerationConfig generationConfig(Path dir, String json) throws IOException {
        Files.writeString(dir.resolve("generation_config.json"), json);
        return GenerationConfig.readCheckpoint(dir);
    }

    /** The tiny checkpoint's tokenizer.json (with {@code <|eot_id|>} renamed when asked) and this tokenizer_config.json. */
    private static Tokenizer tokenizer(Path dir, boolean withoutEotId, String config) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode root = json.readTree(TINY.resolve("tokenizer.json").toFile());
        if (withoutEotId) {
            for (JsonNode t : root.get("added_tokens")) {
                if (t.get("content").textValue().equals("<|eot_id|>")) ((ObjectNode) t).put("content", "<|not_eot_id|>");
            }
        }
        json.writeValue(dir.resolve("tokenizer.json").toFile(), root);
        Files.writeString(dir.resolve("tokenizer_config.json"), config);
        return Tokenizer.fromDirectory(dir);
    }
}
