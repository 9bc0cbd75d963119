package org.longbel.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.longbel.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code longbel detokenize --model DIR --ids 1,2,3 [--skip-special] [--clean-up-spaces]}: prints
 * {@code {"text": "..."}}, the decode of Hugging Face's tokenizers (optionally followed by transformers'
 * clean_up_tokenization_spaces).
 */
@Command(name = "detokenize", mixinStandardHelpOptions = true,
        description = "Decode token ids with the model's tokenizer.json and print {\"text\": ...}.")
public final class DetokenizeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Directory holding tokenizer.json (and tokenizer_config.json).")
    Path model;

    @Option(names = "--ids", required = true, paramLabel = "ID,ID,...", description = "Token ids, separated by commas.")
    String ids;

    @Option(names = "--skip-special", description = "Leave out special tokens (BOS, EOS, LongBEL's markers).")
    boolean skipSpecial;

    @Option(names = "--clean-up-spaces", description = "Apply transformers' clean_up_tokenization_spaces (\" .\" -> \".\", \" 's\" -> \"'s\", ...).")
    boolean cleanUpSpaces;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        int[] parsed = parseIds(ids);
        Tokenizer tokenizer = Tokenizer.fromDirectory(model);
        String text = tokenizer.decode(parsed, skipSpecial, cleanUpSpaces);
        JsonOutput.printLine(common.out(), JsonOutput.object().put("text", text));
        return 0;
    }

    /** "1, 2,3" -> {1, 2, 3}; an empty string is no ids. */
    static int[] parseIds(String text) {
        String s = text.strip();
        if (s.isEmpty()) return new int[0];
        String[] parts = s.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--ids: '" + parts[i].strip() + "' (item " + (i + 1) + ") is not an integer id");
            }
        }
        return out;
    }
}
