package org.longbel.linker.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.longbel.linker.Fixtures;
import org.longbel.linker.document.Page;
import org.longbel.linker.input.BigBioReader;
import org.longbel.tokenizer.Tokenizer;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every prompt the reference built (text and ids, memory lines included) is rebuilt byte for byte:
 * the memory is made from the reference's own rank-1 generated ids, so this checks §2-§4 without a model.
 */
class GoldenPromptsTest {
    private static Tokenizer tokenizer;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void load() {
        tokenizer = Tokenizer.fromDirectory(Fixtures.tinyModel());
    }

    @ParameterizedTest
    @CsvSource({
            "examples/seed_example.json, seed_beam5_saliency.json, 4",
            "examples/crafted_pages.json, crafted_beam5_saliency.json, 25",
            "examples/seed_example.json, seed_unconstrained_beam3.json, 4",
            "examples/crafted_pages.json, crafted_greedy.json, 25",
            "examples/seed_example.json, seed_greedy.json, 4"})
    void promptsMatchTheReference(String pagesFile, String referenceFile, int expectedPrompts) throws IOException {
        List<Page> pages = new BigBioReader().read(Fixtures.path(pagesFile));
        JsonNode ref = JSON.readTree(Fixtures.path("golden/tiny-llama32/reference/" + referenceFile).toFile());
        Map<String, JsonNode> prompts = new HashMap<>();
        Map<String, JsonNode> generated = new HashMap<>();
        for (JsonNode p : ref.get("prompts")) prompts.put(p.get("mention_id").asText(), p);
        for (JsonNode g : ref.get("generate")) generated.put(g.get("mention_id").asText(), g);
        int checked = 0;
        for (Page page : pages) {
            StringBuilder memory = new StringBuilder();
            for (Mention m : MentionExtractor.mentions(page)) {
                JsonNode expected = prompts.get(m.mentionId());
                String text = PromptBuilder.prompt(m, memory.toString());
                int[] ids = tokenizer.encode(text, true);
                assertEquals(expected.get("text").asText(), text, m.mentionId());
                assertArrayEquals(JSON.convertValue(expected.get("ids"), int[].class), ids, m.mentionId());
                int[] top = JSON.convertValue(generated.get(m.mentionId()).get("rows").get(0).get("ids"), int[].class);
                int[] all = Arrays.copyOf(ids, ids.length + top.length);
                System.arraycopy(top, 0, all, ids.length, top.length);
                memory.append(MemoryLine.fromCleaned(DecodedText.skipUndesiredTokens(tokenizer.decode(all, false, true))));
                checked++;
            }
        }
        assertEquals(expectedPrompts, checked);
        assertEquals(expectedPrompts, prompts.size());
    }
}
