package org.longbel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longbel.linker.document.Page;
import org.longbel.linker.input.BigBioReader;
import org.longbel.linker.prompt.MentionExtractor;

/** {@code longbel corpus synth} on the UMLS names sample KB. */
class CorpusCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KB = CliRun.fixtures().resolve("kb/umls_names_sample_text_to_code.json").toString();

    @Test
    void writesTheCorpusAndSummarizesIt(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("synth.json");
        CliRun run = CliRun.of("corpus", "synth", "--docs", "20", "--kb", KB, "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode s = JSON.readTree(run.out());
        assertEquals(20, s.get("docs").asInt());
        assertEquals("json", s.get("format").asText());
        List<Page> pages = new BigBioReader().read(out);
        assertEquals(20, pages.size());
        long mentions = pages.stream().mapToLong(p -> MentionExtractor.mentions(p).size()).sum();
        assertEquals(mentions, s.get("mentions").asLong());
        JsonNode perDoc = s.get("mentions_per_doc");
        assertTrue(perDoc.get("min").asInt() >= 20 && perDoc.get("max").asInt() <= 45, perDoc.toString());
        JsonNode words = s.get("words_per_doc");
        assertTrue(words.get("mean").asDouble() >= 200 && words.get("mean").asDouble() <= 260, words.toString());
        assertEquals(0.4, s.get("repeated_share").asDouble(), 0.03);
        assertFalse(s.get("groups").has("Geographic Areas"));
        assertEquals("[\"Geographic Areas\",\"Phenomena\"]", s.get("kb_groups_not_used").toString());

        // same seed, same file; the summary's ms aside, the same summary
        Path again = dir.resolve("again.json");
        CliRun second = CliRun.of("corpus", "synth", "--docs", "20", "--kb", KB, "--out", again.toString());
        assertEquals(Files.readString(out), Files.readString(again));
    }

    @Test
    void fixedMentionsJsonLinesAllGroups(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("synth.jsonl");
        CliRun run = CliRun.of("corpus", "synth", "--docs", "5", "--mentions", "25", "--words", "300",
                "--repeat", "0.2", "--seed", "9", "--all-groups", "--kb", KB, "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode s = JSON.readTree(run.out());
        assertEquals(125, s.get("mentions").asInt());
        assertEquals(25, s.get("mentions_per_doc").get("min").asInt());
        assertEquals(0.2, s.get("repeated_share").asDouble(), 1e-9);
        assertEquals("jsonl", s.get("format").asText());
        assertEquals(0, s.get("kb_groups_not_used").size());
        assertEquals(5, Files.readAllLines(out).size());
        assertTrue(s.get("words_per_doc").get("min").asInt() >= 300);

        CliRun range = CliRun.of("corpus", "synth", "--docs", "3", "--mentions", "20-22", "--kb", KB,
                "--out", dir.resolve("r.json").toString());
        assertEquals(0, range.exitCode(), range.err());
        JsonNode r = JSON.readTree(range.out()).get("mentions_per_doc");
        assertTrue(r.get("min").asInt() >= 20 && r.get("max").asInt() <= 22, r.toString());
    }

    @Test
    void aBuiltTrieGivesTheSameCorpusAsItsSource(@TempDir Path dir) throws Exception {
        Path trie = dir.resolve("sample.trie");
        CliRun build = CliRun.of("kb", "build", "--model", CliRun.fixtures().resolve("models/tiny-llama32").toString(),
                "--kb", KB, "--out", trie.toString(), "--threads", "2");
        assertEquals(0, build.exitCode(), build.err());
        Path fromJson = dir.resolve("a.json"), fromTrie = dir.resolve("b.json");
        assertEquals(0, CliRun.of("corpus", "synth", "--docs", "4", "--kb", KB, "--out", fromJson.toString()).exitCode());
        CliRun run = CliRun.of("corpus", "synth", "--docs", "4", "--kb", trie.toString(), "--out", fromTrie.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(Files.readString(fromJson), Files.readString(fromTrie));
    }

    @Test
    void badArgumentsAreClearErrors(@TempDir Path dir) throws Exception {
        String out = dir.resolve("x.json").toString();
        CliRun zero = CliRun.of("corpus", "synth", "--docs", "2", "--mentions", "0", "--kb", KB, "--out", out);
        assertEquals(1, zero.exitCode());
        assertTrue(zero.err().contains("mentions per document must be at least 1"), zero.err());
        assertEquals(1, zero.err().strip().lines().count(), zero.err());

        CliRun malformed = CliRun.of("corpus", "synth", "--docs", "2", "--mentions", "a-b", "--kb", KB, "--out", out);
        assertEquals(2, malformed.exitCode());
        assertTrue(malformed.err().contains("--mentions") && malformed.err().contains("'a-b'"), malformed.err());

        CliRun docs = CliRun.of("corpus", "synth", "--docs", "0", "--kb", KB, "--out", out);
        assertEquals(1, docs.exitCode());
        assertTrue(docs.err().contains("--docs must be at least 1"), docs.err());

        CliRun repeat = CliRun.of("corpus", "synth", "--docs", "1", "--repeat", "1", "--kb", KB, "--out", out);
        assertEquals(1, repeat.exitCode());
        assertTrue(repeat.err().contains("[0, 1)"), repeat.err());

        Path empty = Files.writeString(dir.resolve("empty.json"), "{\"Disorders\": {}}");
        CliRun noNames = CliRun.of("corpus", "synth", "--docs", "1", "--kb", empty.toString(), "--out", out);
        assertEquals(1, noNames.exitCode());
        assertTrue(noNames.err().contains("empty.json") && noNames.err().contains("no usable concept name"), noNames.err());

        CliRun missing = CliRun.of("corpus", "synth", "--docs", "1", "--kb", dir.resolve("absent.json").toString(), "--out", out);
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        assertFalse(Files.exists(Path.of(out)), "nothing written on errors");
    }
}
