package org.longbel.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The prompts the reference LongBEL wrapper built and tokenized through transformers (golden/tiny-llama32/
 * reference/*.json): our ids with BOS equal theirs, with the tokenizer of the model directory itself.
 */
class ReferencePromptsTest {

    @Test
    void everyReferencePromptTokenizesIdentically() throws IOException {
        Tokenizer tok = Tokenizer.fromDirectory(Fixtures.root().resolve("models/tiny-llama32"));
        ObjectMapper json = new ObjectMapper();
        List<Path> files;
        try (Stream<Path> s = Files.list(Fixtures.root().resolve("golden/tiny-llama32/reference"))) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertEquals(7, files.size());
        int prompts = 0;
        for (Path file : files) {
            for (JsonNode p : json.readTree(file.toFile()).get("prompts")) {
                String text = p.get("text").textValue();
                int[] expected = ParityTest.ids(p.get("ids"));
                assertArrayEquals(expected, tok.encode(text, true), () -> file.getFileName() + " " + p.get("mention_id"));
                prompts++;
            }
        }
        assertTrue(prompts > 20, "only " + prompts + " prompts");
    }
}
