package org.longbel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code logprobs} and {@code generate} on the tiny fixture model, against the golden files. */
class ForwardCommandsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final Path MODEL = CliRun.fixtures().resolve("models/tiny-llama32");

    private static JsonNode golden(String file) throws IOException {
        return MAPPER.readTree(CliRun.fixtures().resolve("golden/tiny-llama32").resolve(file).toFile());
    }

    private static String join(JsonNode ids, int n) {
        return IntStream.range(0, n).mapToObj(i -> ids.get(i).asText()).collect(Collectors.joining(","));
    }

    @Test
    void logprobsPrintsTheTopEntriesAtTheAskedPositions() throws IOException {
        JsonNode forward = golden("forward.json");
        CliRun r = CliRun.of("logprobs", "--model", MODEL.toString(), "--ids", join(forward.get("input_ids"), 40),
                "--positions", "0,17,39", "--threads", "2");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode positions = MAPPER.readTree(r.out()).get("positions");
        assertEquals(3, positions.size());
        int[] expectedPositions = {0, 17, 39};
        for (int i = 0; i < 3; i++) {
            JsonNode entry = positions.get(i);
            int pos = expectedPositions[i];
            assertEquals(pos, entry.get("pos").asInt());
            assertEquals(forward.get("top5_ids").get(pos), entry.get("top_ids"), "top ids at " + pos);
            for (int j = 0; j < 5; j++) {
                assertEquals(forward.get("top5_logprobs").get(pos).get(j).asDouble(),
                        entry.get("top_logprobs").get(j).asDouble(), 1e-3, "log-prob " + j + " at " + pos);
            }
        }
    }

    @Test
    void logprobsDefaultsToTheLastPositionAndTopFive() throws IOException {
        CliRun r = CliRun.of("logprobs", "--model", MODEL.toString(), "--ids", "128000,58,1000");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode positions = MAPPER.readTree(r.out()).get("positions");
        assertEquals(1, positions.size());
        assertEquals(2, positions.get(0).get("pos").asInt());
        assertEquals(5, positions.get(0).get("top_ids").size());
    }

    @Test
    void generateReproducesTheGoldenGreedyIds() throws IOException {
        JsonNode greedy = golden("greedy.json");
        CliRun r = CliRun.of("generate", "--model", MODEL.toString(), "--ids", join(greedy.get("prompt_ids"), greedy.get("prompt_ids").size()),
                "--max-new-tokens", "16", "--threads", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(greedy.get("generated_ids"), MAPPER.readTree(r.out()).get("generated_ids"));
    }

    @Test
    void badInputGivesOneClearLineAndANonZeroExit() {
        CliRun r = CliRun.of("logprobs", "--model", MODEL.toString(), "--ids", "128000,999999");
        assertEquals(1, r.exitCode());
        assertEquals("", r.out());
        assertEquals("longbel: token id 999999 (sequence 0, index 1) is outside the vocabulary [0, 128257)", r.err().strip());
        r = CliRun.of("generate", "--model", MODEL.toString(), "--ids", "1", "--max-new-tokens", "-1");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("--max-new-tokens must not be negative"), r.err());
        r = CliRun.of("generate", "--model", MODEL.toString(), "--ids", "1,2", "--max-new-tokens", "2147483647");
        assertEquals(1, r.exitCode());
        assertEquals("longbel: --max-new-tokens 2147483647 after 2 prompt ids needs 2147483648 positions, beyond the model's "
                + "max_position_embeddings 131072", r.err().strip());
        r = CliRun.of("logprobs", "--model", MODEL.toString(), "--ids", "1,2", "--positions", "1,0");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("--positions must be ascending"), r.err());
    }
}
