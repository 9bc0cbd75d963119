package org.longbel.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract for every bad input (issue 18, Must 2), held by each command that reads user files: exit code
 * non-zero; exactly one line on stderr, {@code longbel: ...}, naming the bad file; no stack trace (there is no
 * {@code --verbose}); the output file left as it was (absent, or the previous complete output), or, for a problem of
 * single mentions (an unknown group, a prompt beyond the context), a complete output whose records for those
 * mentions carry the error, and exit code 2; done in bounded time. One case per kind of file a user hands the tool,
 * each broken the way real files break.
 */
class BadInputContractTest {

    @TempDir
    static Path tmp;

    private static Path fixtureModel;
    private static Path seed;

    @BeforeAll
    static void paths() {
        fixtureModel = CliRun.fixtures().resolve("models/tiny-llama32");
        seed = CliRun.fixtures().resolve("examples/seed_example.json");
    }

    /**
     * One bad input.
     *
     * @param name    what is broken
     * @param badFile the file name the message must contain
     * @param args       the command line, given a fresh directory (in which the case writes its files); the output
     *                   path is {@code out.jsonl} in it
     * @param perMention whether the problem concerns single mentions: those get error records, the output is written
     *                   complete and the exit code is 2; otherwise nothing is written
     */
    record Case(String name, String badFile, Function<Path, List<String>> args, boolean perMention) {
        Case(String name, String badFile, Function<Path, List<String>> args) {
            this(name, badFile, args, false);
        }

        @Override
        public String toString() { return name; }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("document span outside its text", "docs.json", dir -> link(dir, fixtureModel,
                        write(dir, "docs.json", readSeed().replace("[\n            217,", "[\n            9217,")))),
                new Case("document that is not JSON", "docs.json", dir -> link(dir, fixtureModel,
                        write(dir, "docs.json", "[{\"id\": \"001\", \"passages\": ["))),
                new Case("unknown semantic group", "docs.json", dir -> link(dir, fixtureModel,
                        write(dir, "docs.json", readSeed().replace("\"Living Beings\"", "\"Living Being\""))), true),
                new Case("PubTator line without tabs", "docs.txt", dir -> linkWith(dir, fixtureModel,
                        write(dir, "docs.txt", "1|t|A title\n1|a|An abstract\n1 0 1 A T047 C0001\n\n"), "--format", "pubtator")),
                new Case("input longer than the model's context", "seed_example.json", dir -> link(dir,
                        modelWith(dir, "config.json", readFixture("config.json")
                                .replace("\"max_position_embeddings\": 131072", "\"max_position_embeddings\": 64")),
                        seed), true),
                new Case("truncated safetensors", "model.safetensors", dir -> link(dir,
                        modelWithBytes(dir, "model.safetensors", truncatedWeights()), seed)),
                new Case("safetensors header claiming 2^60 bytes", "model.safetensors", dir -> link(dir,
                        modelWithBytes(dir, "model.safetensors", hugeHeader()), seed)),
                new Case("config.json with a wrong type", "config.json", dir -> link(dir,
                        modelWith(dir, "config.json", readFixture("config.json").replace("\"num_hidden_layers\": 2",
                                "\"num_hidden_layers\": \"two\"")), seed)),
                new Case("generation_config.json that is not JSON", "generation_config.json", dir -> link(dir,
                        modelWith(dir, "generation_config.json", "{\"num_beams\": 5,"), seed)),
                new Case("tokenizer.json with an unsupported model", "tokenizer.json", dir -> link(dir,
                        modelWith(dir, "tokenizer.json", "{\"version\": \"1.0\", \"model\": {\"type\": \"WordPiece\", "
                                + "\"vocab\": {}}, \"added_tokens\": []}"), seed)),
                new Case("text_to_code.json with a list for a name", "text_to_code.json", dir -> link(dir,
                        modelWith(dir, "text_to_code.json", "{\"Disorders\": {\"Hypertension\": [\"C0020538\"]}}"), seed)),
                new Case("TSV knowledge base with a missing column", "kb.tsv", dir -> linkWith(dir, fixtureModel, seed,
                        "--kb", write(dir, "kb.tsv", "C0020538\tHypertension\n").toString())),
                new Case("corrupted trie file", "kb.trie", dir -> linkWith(dir, fixtureModel, seed,
                        "--kb", write(dir, "kb.trie", "LBTRIE\0\0garbage that is not a trie").toString())),
                new Case("predictions file with a broken record", "preds.jsonl", dir -> List.of("eval", "--predictions",
                        write(dir, "preds.jsonl", "{\"doc_id\": \"1\", \"mention_id\": \"1.1\", \"rank\": 1,\n").toString())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aBadInputFailsWithOneClearLineAndLeavesTheOutputAsItWas(Case c) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(c.name().replaceAll("[^a-z0-9]+", "-")));
        Path out = dir.resolve("out.jsonl");
        byte[] previous = "{\"previous\": \"complete output\"}\n".getBytes(StandardCharsets.UTF_8);
        Files.write(out, previous);
        List<String> args = c.args().apply(dir);

        CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.of(args.toArray(String[]::new)));

        assertNotEquals(0, run.exitCode(), c + ": exit code");
        String err = run.err().strip();
        assertFalse(err.isEmpty(), c + ": nothing on stderr");
        assertEquals(1, err.lines().count(), c + ": stderr is not one line:\n" + err);
        assertTrue(err.startsWith("longbel: "), c + ": " + err);
        assertTrue(err.contains(c.badFile()), c + ": the message does not name " + c.badFile() + ": " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), c + ": a stack trace or class name: " + err);
        if (c.perMention()) {
            assertEquals(MentionErrors.EXIT_CODE, run.exitCode(), c + ": exit code");
            assertTrue(err.contains("mention(s) could not be linked"), c + ": " + err);
            List<String> records = Files.readAllLines(out);
            assertTrue(records.stream().anyMatch(r -> r.contains("\"error\":\"")), c + ": no error record");
            assertTrue(records.stream().allMatch(r -> r.startsWith("{\"mention\":") && r.endsWith("}")), c + ": incomplete");
        } else {
            assertArrayEquals(previous, Files.readAllBytes(out), c + ": the previous output was changed");
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> stray = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("out.jsonl")
                    && !n.equals("out.jsonl") && !(c.perMention() && n.equals("out.jsonl.meta.json"))).toList();
            assertEquals(List.of(), stray, c + ": files left beside the output");
        }
    }

    private static List<String> link(Path dir, Path model, Path input) {
        return linkWith(dir, model, input);
    }

    private static List<String> linkWith(Path dir, Path model, Path input, String... extra) {
        List<String> args = new ArrayList<>(List.of("link", "--model", model.toString(), "--input", input.toString(),
                "--output", dir.resolve("out.jsonl").toString(), "--no-progress", "--kb-cache", dir.resolve("kb-cache").toString()));
        args.addAll(List.of(extra));
        return args;
    }

    /** A copy of the fixture checkpoint (links to its files) with {@code file} replaced by {@code text}. */
    private static Path modelWith(Path dir, String file, String text) {
        return modelWithBytes(dir, file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static Path modelWithBytes(Path dir, String file, byte[] bytes) {
        try {
            Path model = Files.createDirectories(dir.resolve("model"));
            try (Stream<Path> files = Files.list(fixtureModel)) {
                for (Path f : files.toList()) {
                    Path target = model.resolve(f.getFileName());
                    if (!f.getFileName().toString().equals(file)) Files.createSymbolicLink(target, f);
                }
            }
            Files.write(model.resolve(file), bytes);
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readSeed() {
        return new String(bytes(seed), StandardCharsets.UTF_8);
    }

    private static String readFixture(String name) {
        return new String(bytes(fixtureModel.resolve(name)), StandardCharsets.UTF_8);
    }

    /** The fixture's weights cut in the middle of the tensor data. */
    private static byte[] truncatedWeights() {
        byte[] all = bytes(fixtureModel.resolve("model.safetensors"));
        return java.util.Arrays.copyOf(all, all.length / 2);
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A safetensors file whose only tensor claims 2^60 bytes of data that the file does not hold. */
    private static byte[] hugeHeader() {
        byte[] json = ("{\"model.embed_tokens.weight\": {\"dtype\": \"U8\", \"shape\": [1152921504606846976], "
                + "\"data_offsets\": [0, 1152921504606846976]}}").getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length + 16).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).array();
    }
}
