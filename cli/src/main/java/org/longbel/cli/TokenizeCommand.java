package org.longbel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.longbel.tokenizer.Tokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code longbel tokenize --model DIR (--text STR | --file FILE.jsonl) [--no-bos]}: prints
 * {@code {"ids":[...]}} for the text, or one such line per line {@code {"text": ...}} of the file.
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Encode text with the model's tokenizer.json and print {\"ids\":[...]} per input (JSON lines).")
public final class TokenizeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 4096;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Directory holding tokenizer.json (and tokenizer_config.json).")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--text", paramLabel = "STR", description = "The text to encode.")
        String text;

        @Option(names = "--file", paramLabel = "FILE.jsonl", description = "JSON lines, each an object with a string \"text\".")
        Path file;
    }

    @Option(names = "--no-bos", description = "Do not add the special tokens of the post-processor (BOS).")
    boolean noBos;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = common.out();
        Tokenizer tokenizer = Tokenizer.fromDirectory(model);
        if (input.text != null) {
            out.println(idsLine(tokenizer.encode(input.text, !noBos)));
        } else {
            encodeFile(tokenizer, input.file, out);
        }
        out.flush();
        return 0;
    }

    private void encodeFile(Tokenizer tokenizer, Path file, PrintWriter out) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": file not found");
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<String> texts = new ArrayList<>(BATCH);
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                texts.add(textOf(file, lineNumber, line));
                if (texts.size() == BATCH) { printBatch(tokenizer, texts, out); texts.clear(); }
            }
            printBatch(tokenizer, texts, out);
        }
    }

    private void printBatch(Tokenizer tokenizer, List<String> texts, PrintWriter out) {
        for (int[] ids : tokenizer.encodeBatch(texts, !noBos)) out.println(idsLine(ids));
    }

    private static String textOf(Path file, int lineNumber, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            String column = e.getLocation() == null ? "" : ", column " + e.getLocation().getColumnNr();
            throw new IllegalArgumentException(file + " line " + lineNumber + column + ": invalid JSON: "
                    + e.getOriginalMessage());
        }
        if (node == null || !node.path("text").isTextual()) {
            throw new IllegalArgumentException(file + " line " + lineNumber + ": expected an object with a string \"text\"");
        }
        return node.get("text").textValue();
    }

    private static String idsLine(int[] ids) {
        ObjectNode n = JsonOutput.object();
        ArrayNode array = n.putArray("ids");
        for (int id : ids) array.add(id);
        return JsonOutput.line(n);
    }
}
