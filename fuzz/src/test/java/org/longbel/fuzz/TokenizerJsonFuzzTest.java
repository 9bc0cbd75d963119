package org.longbel.fuzz;

import org.longbel.tokenizer.Tokenizer;
import org.longbel.tokenizer.TokenizerException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz target of {@code tokenizer.json} (model, added tokens, pre-tokenizer, post-processor, decoder), loaded as
 * the linker loads a checkpoint's tokenizer, without a {@code tokenizer_config.json}. A tokenizer that loads must
 * also encode and decode: a text with words, digits, accents, LongBEL's markers and special tokens.
 */
class TokenizerJsonFuzzTest {

    private static final String TEXT = "<|begin_of_text|>The diabète [type 2] {Disorders} in 2024 <+> <|eot_id|>  x\n";

    @ParserFuzz
    void tokenizerJson(byte[] data) throws Exception {
        Path dir = TokenizerFiles.directory("tokenizer-json");
        Files.deleteIfExists(dir.resolve("tokenizer_config.json"));
        Path file = dir.resolve("tokenizer.json");
        Files.write(file, data);
        FuzzSupport.expect(TokenizerException.class, file.toString(), () -> {
            Tokenizer t = Tokenizer.fromFile(file);
            int[] ids = t.encode(TEXT, true);
            t.decode(ids, false);
            t.decode(ids, true);
        });
    }
}
