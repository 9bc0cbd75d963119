package org.longbel.fuzz;

import org.longbel.tokenizer.Tokenizer;
import org.longbel.tokenizer.TokenizerException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz target of {@code tokenizer_config.json} (special tokens, {@code added_tokens_decoder}, clean-up flag), read
 * beside a small valid tokenizer.json; a tokenizer that loads must encode and decode with its special tokens.
 */
class TokenizerConfigFuzzTest {

    private static final String TEXT = "<|begin_of_text|>The diabète [type 2] <+> <|eot_id|>";

    @ParserFuzz
    void tokenizerConfig(byte[] data) throws Exception {
        Path dir = TokenizerFiles.directory("tokenizer-config");
        Path tokenizerJson = dir.resolve("tokenizer.json");
        if (!Files.exists(tokenizerJson)) Files.write(tokenizerJson, TokenizerFiles.miniTokenizerJson());
        Path file = dir.resolve("tokenizer_config.json");
        Files.write(file, data);
        FuzzSupport.expect(TokenizerException.class, file.toString(), () -> {
            Tokenizer t = Tokenizer.fromFile(tokenizerJson);
            int[] ids = t.encode(TEXT, true);
            t.decode(ids, true);
            for (int id : new int[] {t.bosId(), t.eosId(), t.padId()}) {
                if (id >= 0) t.decode(new int[] {id}, false);
            }
        });
    }
}
