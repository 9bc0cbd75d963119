package org.longbel.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every line of expected_llama3.jsonl / expected_longbel.jsonl (ids from Hugging Face's Rust tokenizers):
 * identical ids without and with special tokens, decode(encode(text)) == text, and a parallel batch
 * encode identical to the one-by-one encode.
 */
class ParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"llama3", "longbel"})
    void everyFixtureLineMatchesHuggingFace(String name) throws IOException {
        Tokenizer tok = Fixtures.tokenizer(name);
        List<String> lines = Files.readAllLines(Fixtures.root().resolve("tokenizer/expected_" + name + ".jsonl"));
        assertEquals(7012, lines.size());
        List<String> failures = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<int[]> expectedWithBos = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = JSON.readTree(lines.get(i));
            String text = line.get("text").textValue();
            int[] noSpecial = ids(line.get("ids_no_special"));
            int[] withBos = ids(line.get("ids_with_bos"));
            texts.add(text);
            expectedWithBos.add(withBos);
            int[] got = tok.encode(text, false);
            if (!Arrays.equals(noSpecial, got)) failures.add("line " + (i + 1) + " no_special " + describe(text, noSpecial, got));
            int[] gotBos = tok.encode(text, true);
            if (!Arrays.equals(withBos, gotBos)) failures.add("line " + (i + 1) + " with_bos " + describe(text, withBos, gotBos));
            String decoded = tok.decode(got, false);
            if (!decoded.equals(text)) failures.add("line " + (i + 1) + " decode: " + JSON.writeValueAsString(decoded));
            if (!decoded.equals(line.get("decoded").textValue())) failures.add("line " + (i + 1) + " decode differs from HF's");
        }
        assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));

        List<int[]> batch = tok.encodeBatch(texts, true);
        for (int i = 0; i < texts.size(); i++) assertArrayEquals(expectedWithBos.get(i), batch.get(i), i);
    }

    private static void assertArrayEquals(int[] expected, int[] actual, int line) {
        if (!Arrays.equals(expected, actual)) throw new AssertionError("batch encode differs on line " + (line + 1));
    }

    static int[] ids(JsonNode array) {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = array.get(i).intValue();
        return ids;
    }

    private static String describe(String text, int[] expected, int[] got) throws IOException {
        String t = JSON.writeValueAsString(text.length() > 200 ? text.substring(0, 200) : text);
        return t + "\n  expected " + Arrays.toString(Arrays.copyOf(expected, Math.min(40, expected.length)))
                + "\n  got      " + Arrays.toString(Arrays.copyOf(got, Math.min(40, got.length)));
    }
}
