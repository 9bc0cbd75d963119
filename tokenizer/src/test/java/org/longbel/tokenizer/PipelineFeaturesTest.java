package org.longbel.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options of tokenizer.json that the two real tokenizers do not exercise, on small hand-made files:
 * merges in pair form, merge priority, ignore_merges, a bare TemplateProcessing with a suffix, and the
 * added-token flags (lstrip, rstrip, single_word, normalized).
 */
class PipelineFeaturesTest {
    @TempDir Path dir;

    private static int id(Tokenizer t, String byteLevelToken) { return t.tokenToId(byteLevelToken); }

    @Test
    void pairFormMergesEqualStringForm() {
        Tokenizer strings = new MiniTokenizerJson().merge("a", "b").merge("ab", "c").load(dir);
        Tokenizer pairs = new MiniTokenizerJson().mergePair("a", "b").mergePair("ab", "c").load(dir);
        assertArrayEquals(strings.encode("abcab abc", false), pairs.encode("abcab abc", false));
        assertArrayEquals(new int[] {id(strings, "abc"), id(strings, "ab")}, strings.encode("abcab", false));
    }

    @Test
    void lowestRankMergesFirstLeftmostOnTies() {
        // "b c" outranks "a b": "abc" -> a + bc
        Tokenizer t = new MiniTokenizerJson().merge("b", "c").merge("a", "b").load(dir);
        assertArrayEquals(new int[] {'a', id(t, "bc")}, t.encode("abc", false));
        // equal pairs: leftmost first: "aaa" -> aa + a
        Tokenizer u = new MiniTokenizerJson().merge("a", "a").load(dir);
        assertArrayEquals(new int[] {id(u, "aa"), 'a'}, u.encode("aaa", false));
        assertArrayEquals(new int[] {id(u, "aa"), id(u, "aa")}, u.encode("aaaa", false));
    }

    @Test
    void ignoreMergesLooksUpTheWholeWordFirst() {
        MiniTokenizerJson json = new MiniTokenizerJson().merge("a", "b");
        json.vocab.put("abc", 300);   // reachable by no merge
        Tokenizer withoutFlag = json.load(dir);
        assertArrayEquals(new int[] {id(withoutFlag, "ab"), 'c'}, withoutFlag.encode("abc", false));
        json.model().put("ignore_merges", true);
        Tokenizer withFlag = json.load(dir);
        assertArrayEquals(new int[] {300}, withFlag.encode("abc", false));
    }

    @Test
    void bareTemplateProcessingWithPrefixAndSuffix() {
        MiniTokenizerJson json = new MiniTokenizerJson();
        json.addAdded("</s>", true);
        var post = (com.fasterxml.jackson.databind.node.ObjectNode) json.root.get("post_processor");
        ((com.fasterxml.jackson.databind.node.ArrayNode) post.get("single")).addObject().putObject("SpecialToken").put("id", "</s>").put("type_id", 0);
        ((com.fasterxml.jackson.databind.node.ObjectNode) post.get("special_tokens")).putObject("</s>").put("id", "</s>").putArray("ids").add(-1);
        ((com.fasterxml.jackson.databind.node.ObjectNode) post.get("special_tokens").get("</s>")).putArray("tokens").add("</s>");
        Tokenizer t = json.load(dir);
        int bos = t.tokenToId("<s>"), eos = t.tokenToId("</s>");
        assertEquals(256, bos);
        assertEquals(257, eos);
        assertArrayEquals(new int[] {bos, 'x', eos}, t.encode("x", true));
        assertArrayEquals(new int[] {'x'}, t.encode("x", false));
        assertEquals(bos, t.bosId());   // no tokenizer_config.json: the template's first special token
        assertEquals(-1, t.eosId());
        assertEquals("x", t.decode(new int[] {bos, 'x', eos}, true));
        assertEquals("<s>x</s>", t.decode(new int[] {bos, 'x', eos}, false));
    }

    @Test
    void cleanUpTokenizationSpacesIsFalseUnlessTheConfigSetsIt() throws java.io.IOException {
        MiniTokenizerJson json = new MiniTokenizerJson();
        assertEquals(false, json.load(dir).cleanUpTokenizationSpaces());   // no tokenizer_config.json
        java.nio.file.Files.writeString(dir.resolve("tokenizer_config.json"), "{}");
        assertEquals(false, Tokenizer.fromDirectory(dir).cleanUpTokenizationSpaces());
        java.nio.file.Files.writeString(dir.resolve("tokenizer_config.json"), "{\"clean_up_tokenization_spaces\": true}");
        assertEquals(true, Tokenizer.fromDirectory(dir).cleanUpTokenizationSpaces());
    }

    @Test
    void addedTokenFlags() {
        MiniTokenizerJson json = new MiniTokenizerJson();
        json.addAdded("<L>", false).put("lstrip", true);
        json.addAdded("<R>", false).put("rstrip", true);
        json.addAdded("<W>", false).put("single_word", true);
        json.addAdded("<N>", false).put("normalized", true);
        json.addAdded("<N><", false);
        Tokenizer t = json.load(dir);
        int lTok = t.tokenToId("<L>"), rTok = t.tokenToId("<R>"), wTok = t.tokenToId("<W>"), nTok = t.tokenToId("<N>"), nlTok = t.tokenToId("<N><");
        int x = 'x', space = t.tokenToId("Ġ");
        assertArrayEquals(new int[] {x, lTok, x}, t.encode("x  <L>x", false));
        assertArrayEquals(new int[] {x, rTok, x}, t.encode("x<R> \t x", false));
        assertArrayEquals(new int[] {x, space, wTok, space, x}, t.encode("x <W> x", false));
        assertArrayEquals(new int[] {x, '<', 'W', '>'}, t.encode("x<W>", false));
        // raw (non-normalized) tokens are cut out first, leftmost-longest: "<N><" wins over "<N>"
        assertArrayEquals(new int[] {nlTok, x}, t.encode("<N><x", false));
        assertArrayEquals(new int[] {x, nTok, x}, t.encode("x<N>x", false));
        // and the same ids as Hugging Face on strings around every flag
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(dir, Map.of("addSpecialTokens", "false"))) {
            for (String text : new String[] {"x  <L>x", " <L>", "<L> ", "x<R> \t x", "<R>  ", "x <W> x", "x<W>", "<W>x", "_<W>",
                    "é<W>", " <W>", "<W><W>", "<N><x", "x<N>x", "<N><N><", "<L><R>", "<R> <L>", "a\u00A0<L>\u00A0b", "<R>\n<W>\n"}) {
                assertArrayEquals(Arrays.stream(hf.encode(text, false, false).getIds()).mapToInt(v -> (int) v).toArray(),
                        t.encode(text, false), text);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertEquals(false, t.isSpecial(nTok));
        assertEquals(true, t.isSpecial(t.tokenToId("<s>")));
    }
}
