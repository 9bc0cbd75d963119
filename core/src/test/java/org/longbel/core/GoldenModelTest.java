package org.longbel.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The forward pass against the golden files of the fixtures (an independent float64 implementation of
 * Hugging Face's LlamaForCausalLM): top-5 at every position, full log-prob rows, greedy ids, candidate log-probs.
 */
class GoldenModelTest {

    private static final double TOLERANCE = 1e-3;
    private static final long BUDGET = 256L << 20;

    private static Path golden(String model) {
        return TestCheckpoints.fixtures().resolve("golden").resolve(model);
    }

    private static JsonNode json(String model, String file) throws IOException {
        return new ObjectMapper().readTree(golden(model).resolve(file).toFile());
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    private static int[] range(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) out[i] = from + i;
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama32", "tiny-mha-untied"})
    void topFiveAndFullRowsMatchAtEveryPosition(String name) throws IOException {
        JsonNode forward = json(name, "forward.json");
        int[] ids = ints(forward.get("input_ids"));
        int[] rowPositions = ints(forward.get("row_positions"));
        float[][] rows = Npy.readFloat32Matrix(golden(name).resolve(forward.get("rows_file").asText()));
        int checkedRows = 0;
        try (LlamaModel model = LlamaModel.load(TestCheckpoints.fixtureModel(name), 2);
             KvCache cache = model.newCache(16, BUDGET)) {
            int seq = cache.newSequence();
            int chunk = 128; // prefill in chunks so that at most 128 full logit rows live at once
            for (int start = 0; start < ids.length; start += chunk) {
                int end = Math.min(ids.length, start + chunk);
                float[][] logits = model.forward(cache, new int[] {seq},
                        new int[][] {Arrays.copyOfRange(ids, start, end)}, new int[][] {range(0, end - start)})[0];
                for (int i = 0; i < logits.length; i++) {
                    int pos = start + i;
                    float[] logprobs = LogSoftmax.of(logits[i]);
                    int[] top = LogSoftmax.topK(logprobs, 5);
                    assertArrayEquals(ints(forward.get("top5_ids").get(pos)), top, "top-5 ids at position " + pos);
                    for (int j = 0; j < 5; j++) {
                        double expected = forward.get("top5_logprobs").get(pos).get(j).asDouble();
                        assertEquals(expected, logprobs[top[j]], TOLERANCE, "top-5 log-prob " + j + " at position " + pos);
                    }
                    int row = Arrays.stream(rowPositions).boxed().toList().indexOf(pos);
                    if (row >= 0) {
                        assertEquals(rows[row].length, logprobs.length, "vocabulary size");
                        for (int t = 0; t < logprobs.length; t++) {
                            assertEquals(rows[row][t], logprobs[t], TOLERANCE, "log-prob of token " + t + " at position " + pos);
                        }
                        checkedRows++;
                    }
                }
            }
        }
        assertEquals(rowPositions.length, checkedRows, "every full row checked");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama32", "tiny-mha-untied"})
    void greedyThroughTheCacheGivesTheGoldenIds(String name) throws IOException {
        JsonNode greedy = json(name, "greedy.json");
        int[] prompt = ints(greedy.get("prompt_ids"));
        int[] expected = ints(greedy.get("generated_ids"));
        int[] generated = new int[expected.length];
        try (LlamaModel model = LlamaModel.load(TestCheckpoints.fixtureModel(name), 2);
             KvCache cache = model.newCache(16, BUDGET)) {
            int seq = cache.newSequence();
            int[] input = prompt;
            for (int step = 0; step < expected.length; step++) {
                float[] logits = model.forward(cache, new int[] {seq}, new int[][] {input},
                        new int[][] {{input.length - 1}})[0][0];
                generated[step] = LogSoftmax.argmax(logits);
                input = new int[] {generated[step]};
            }
            assertEquals(prompt.length + expected.length - 1, cache.length(seq), "one cached token per step, none recomputed");
        }
        assertArrayEquals(expected, generated);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama32", "tiny-mha-untied"})
    void candidateTokenLogProbsMatchOnForkedPrompts(String name) throws IOException {
        JsonNode file = json(name, "candidates.json");
        int[] prompt = ints(file.get("prompt_ids"));
        try (LlamaModel model = LlamaModel.load(TestCheckpoints.fixtureModel(name), 2);
             KvCache cache = model.newCache(16, BUDGET)) {
            int promptSeq = cache.newSequence();
            float[] first = LogSoftmax.of(model.forward(cache, new int[] {promptSeq}, new int[][] {prompt},
                    new int[][] {{prompt.length - 1}})[0][0]);
            for (JsonNode candidate : file.get("candidates")) {
                int[] ids = ints(candidate.get("ids"));
                JsonNode expected = candidate.get("token_logprobs");
                assertEquals(expected.get(0).asDouble(), first[ids[0]], TOLERANCE, "first token of " + Arrays.toString(ids));
                int seq = cache.fork(promptSeq);
                float[][] logits = model.forward(cache, new int[] {seq}, new int[][] {Arrays.copyOf(ids, ids.length - 1)},
                        new int[][] {range(0, ids.length - 1)})[0];
                double sum = first[ids[0]];
                for (int j = 1; j < ids.length; j++) {
                    float logprob = LogSoftmax.of(logits[j - 1])[ids[j]];
                    assertEquals(expected.get(j).asDouble(), logprob, TOLERANCE, "token " + j + " of " + Arrays.toString(ids));
                    sum += logprob;
                }
                assertEquals(candidate.get("sum_logprob").asDouble(), sum, TOLERANCE * ids.length, "sum of " + Arrays.toString(ids));
                cache.free(seq);
            }
            assertEquals(prompt.length, cache.length(promptSeq), "forks leave the prompt sequence unchanged");
            assertTrue(cache.bytesInUse() > 0);
        }
    }
}
