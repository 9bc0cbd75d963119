package org.longbel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinkCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String model() {
        return CliRun.fixtures().resolve("models/tiny-llama32").toString();
    }

    @Test
    void linksTheSeedExampleAndDumpsPrompts() throws IOException {
        Path out = dir.resolve("seed.jsonl");
        Path prompts = dir.resolve("prompts.jsonl");
        CliRun run = CliRun.of("link", "--model", model(), "--input",
                CliRun.fixtures().resolve("examples/seed_example.json").toString(), "--output", out.toString(),
                "--dump-prompts", prompts.toString(), "--deterministic", "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode summary = JSON.readTree(run.out());
        assertEquals(20, summary.get("records").asInt());
        assertEquals("BEAM_SEARCH", summary.get("decoding_mode").asText());
        List<String> lines = Files.readAllLines(out);
        assertEquals(20, lines.size());
        JsonNode first = JSON.readTree(lines.getFirst());
        assertEquals("001.1", first.get("mention_id").asText());
        assertEquals(1, first.get("rank").asInt());
        assertEquals("Pregnant Women", first.get("pred_concept_name").asText()); // the reference's rank 1
        JsonNode t4 = JSON.readTree(Files.readAllLines(prompts).get(3));
        JsonNode reference = JSON.readTree(CliRun.fixtures()
                .resolve("golden/tiny-llama32/reference/seed_beam5_saliency.json").toFile()).get("prompts").get(3);
        assertEquals(reference.get("text"), t4.get("text"));
        assertEquals(reference.get("ids"), t4.get("ids"));
        JsonNode meta = JSON.readTree(dir.resolve("seed.jsonl.meta.json").toFile());
        assertEquals("BEAM_SEARCH", meta.get("decoding_mode").asText());
        assertTrue(meta.get("generation_config_do_sample").asBoolean());
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".partial")));
        }
    }

    @Test
    void pubTatorWithConcurrentDocumentsAndAnUnknownGroup() throws IOException {
        Path in = dir.resolve("docs.txt");
        Files.writeString(in, """
                1|t|Severe hypertension in pregnancy
                1|a|Proteinuria was found.
                1\t7\t19\tHypertension\tT033\tUMLS:C0020538
                1\t33\t44\tProteinuria\tT033\tC0033687

                2|t|A pregnant woman
                2|a|She went to Paris.
                2\t2\t16\tpregnant woman\tT098\tC0033011
                2\t29\t34\tParis\tT082\tC0030551
                """);
        Path out = dir.resolve("out.jsonl");
        CliRun run = CliRun.of("link", "--model", model(), "--input", in.toString(), "--output", out.toString(),
                "--deterministic", "--beams", "2", "--documents", "2", "--no-progress");
        // Paris's group is not in the KB: its mention gets error records, counted in the closing line, exit 2
        assertEquals(MentionErrors.EXIT_CODE, run.exitCode(), run.err());
        // offsets 7-19 hold "hypertension" (lower case): a warning, and the given text is kept
        assertTrue(run.err().contains("warning: " + in + ":1: document '1', entity 'T1', field 'text[0]'"), run.err());
        assertTrue(run.err().contains("longbel: " + in + ": 1 of 4 mention(s) could not be linked (first: document 2, "
                + "mention 2.2: semantic group 'Concepts & Ideas' is not in the knowledge base); " + out + " is complete"),
                run.err());
        List<JsonNode> records = Files.readAllLines(out).stream().map(LinkCommandTest::json).toList();
        assertEquals(8, records.size());
        assertEquals(List.of("1.1", "1.1", "1.2", "1.2", "2.1", "2.1", "2.2", "2.2"),
                records.stream().map(r -> r.get("mention_id").asText()).toList());
        assertEquals("Hypertension", records.getFirst().get("mention").asText());
        assertEquals("C0020538", records.getFirst().get("gold_concept_code").asText());
        JsonNode paris = records.get(6);
        assertEquals("NO_PREDICTION", paris.get("pred_concept_name").asText());
        assertEquals("semantic group 'Concepts & Ideas' is not in the knowledge base", paris.get("error").asText());
    }

    @Test
    void statsAreReportedAndKvReuseChangesNoByteOfTheOutput() throws IOException {
        String input = CliRun.fixtures().resolve("examples/crafted_pages.json").toString();
        String kb = CliRun.fixtures().resolve("kb/crafted_text_to_code.json").toString();
        Path reused = dir.resolve("reused.jsonl"), recomputed = dir.resolve("recomputed.jsonl");
        CliRun on = CliRun.of("link", "--model", model(), "--input", input, "--kb", kb, "--output", reused.toString(),
                "--deterministic", "--documents", "3", "--stats", "--no-progress");
        assertEquals(0, on.exitCode(), on.err());
        assertTrue(on.err().contains("reuse ratio"), on.err());
        CliRun off = CliRun.of("link", "--model", model(), "--input", input, "--kb", kb, "--output", recomputed.toString(),
                "--deterministic", "--documents", "1", "--no-kv-reuse", "--no-progress");
        assertEquals(0, off.exitCode(), off.err());
        assertEquals(Files.readString(recomputed), Files.readString(reused));
        JsonNode statsOn = JSON.readTree(on.out()).get("stats"), statsOff = JSON.readTree(off.out()).get("stats");
        assertEquals(statsOn.get("prompt_tokens"), statsOff.get("prompt_tokens"));
        assertTrue(statsOn.get("reused_tokens").asLong() > 0, statsOn.toString());
        assertEquals(0, statsOff.get("reused_tokens").asLong());
        assertEquals(statsOff.get("prompt_tokens").asLong(), statsOff.get("prefilled_tokens").asLong());
        assertTrue(statsOn.get("mean_rows_per_forward").asDouble() > statsOff.get("mean_rows_per_forward").asDouble());
        for (String field : List.of("forward_calls", "decode_steps", "peak_kv_bytes", "mentions_per_second")) {
            assertTrue(statsOn.get(field).asDouble() > 0, field);
        }
        assertEquals(statsOn, JSON.readTree(dir.resolve("reused.jsonl.meta.json").toFile()).get("stats"));
    }

    @Test
    void malformedInputFailsWithOneLineAndNoOutput() throws IOException {
        Path in = dir.resolve("bad.jsonl");
        Files.writeString(in, "{\"id\": \"a\", \"passages\": [], \"entities\": []}\n{\"id\": \"b\",\n");
        Path out = dir.resolve("never.jsonl");
        CliRun run = CliRun.of("link", "--model", model(), "--input", in.toString(), "--output", out.toString(),
                "--no-progress");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("longbel: " + in + ":2: malformed JSON"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertFalse(Files.exists(out));
        assertEquals("", run.out());
    }

    @Test
    void offsetsPastTheTextAreRefused() throws IOException {
        Path in = dir.resolve("offsets.json");
        Files.writeString(in, "[{\"id\": \"p1\", \"passages\": [{\"text\": [\"short\"], \"offsets\": [[0, 5]]}], "
                + "\"entities\": [{\"id\": \"T9\", \"type\": \"Disorders\", \"text\": [\"x\"], \"offsets\": [[3, 9]]}]}]");
        CliRun run = CliRun.of("link", "--model", model(), "--input", in.toString(), "--output",
                dir.resolve("o.jsonl").toString(), "--no-progress");
        assertEquals(1, run.exitCode());
        assertEquals("longbel: " + in + ":1: document 'p1', entity 'T9', field 'offsets[0]' [3, 9]: runs past the end "
                + "of the text (offset 5)", run.err().strip());
    }

    @Test
    void aNegativeKvCacheBudgetIsRefused() {
        CliRun run = CliRun.of("link", "--model", model(), "--input",
                CliRun.fixtures().resolve("examples/seed_example.json").toString(), "--output",
                dir.resolve("o.jsonl").toString(), "--kv-cache-mb", "-1", "--no-progress");
        assertEquals(1, run.exitCode());
        assertEquals("longbel: --kv-cache-mb must be >= 0 (0: automatic), got -1", run.err().strip());
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
