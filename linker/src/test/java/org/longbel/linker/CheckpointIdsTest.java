package org.longbel.linker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longbel.decoding.DecodingSettings;
import org.longbel.decoding.GenerationConfig;
import org.longbel.decoding.SpecialIds;
import org.longbel.linker.output.TokenIds;
import org.longbel.tokenizer.Tokenizer;

/**
 * The search settings and the ids the constraint and the records use ({@link TokenIds}) come from one
 * resolution of the checkpoint ({@link SpecialIds#resolve}): they agree, also when
 * {@code generation_config.json} sets a {@code pad_token_id} other than the eos.
 */
class CheckpointIdsTest {

    private static final int BOS = 128000;
    private static final int EOS = 128009;
    private static final int PAD = 128004;

    @Test
    void theTinyCheckpoint() throws IOException {
        Tokenizer tokenizer = Tokenizer.fromDirectory(Fixtures.tinyModel());
        GenerationConfig generation = GenerationConfig.readCheckpoint(Fixtures.tinyModel());
        assertAgree(tokenizer, generation, EOS);
    }

    @Test
    void aPadTokenIdInTheGenerationConfigIsUsedEverywhere(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("generation_config.json"), "{\"do_sample\": true, \"temperature\": 0.6, "
                + "\"top_p\": 0.9, \"pad_token_id\": " + PAD + "}");
        Tokenizer tokenizer = Tokenizer.fromDirectory(Fixtures.tinyModel());
        assertAgree(tokenizer, GenerationConfig.readCheckpoint(dir), PAD);
    }

    private static void assertAgree(Tokenizer tokenizer, GenerationConfig generation, int expectedPad) {
        SpecialIds ids = SpecialIds.resolve(tokenizer, generation);
        TokenIds codec = PromptCodec.of(tokenizer, ids).tokenIds();
        for (SampleOptions o : new SampleOptions[] {SampleOptions.defaults(), SampleOptions.defaults().withDeterministic(true)}) {
            DecodingSettings s = ModelDecoder.settings(generation, ids, o, 0);
            assertArrayEquals(new int[] {EOS}, s.eosIds());
            assertEquals(expectedPad, s.padId());
            assertEquals(BOS, s.bosId());
            assertArrayEquals(new int[] {codec.eos()}, s.eosIds());
            assertEquals(codec.pad(), s.padId());
            assertEquals(codec.bos(), s.bosId());
        }
        assertEquals(tokenizer.tokenToId("}"), codec.closeBrace());
        assertEquals(tokenizer.tokenToId("<+>"), codec.plus());
    }
}
