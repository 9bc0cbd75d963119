package org.longbel.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationConfigTest {

    @Test
    void readsTheTinyCheckpointLikeLlama32Instruct() throws IOException {
        GenerationConfig gc = GenerationConfig.readCheckpoint(Fixtures.root().resolve("models/tiny-llama32"));
        assertTrue(gc.doSample());
        assertEquals(0.6, gc.temperature());
        assertEquals(0.9, gc.topP());
        assertEquals(50, gc.topK(), "absent: Hugging Face's default");
        assertArrayEquals(new int[] {128001, 128008, 128009}, gc.eosTokenIds());

        SpecialIds ids = new SpecialIds(128000, 128009, 128009);
        DecodingSettings sample = gc.longBelSettings(ids, 5, false, 7);
        assertEquals(DecodingMode.BEAM_SAMPLE, sample.mode());
        assertEquals(10, sample.keep(), "the wrapper passes the single eos 128009");
        assertEquals(2, sample.minTokensToKeep());
        assertEquals(128009, sample.padId());
        assertArrayEquals(new int[] {128009}, sample.eosIds());
        assertEquals(128000, sample.bosId());
        assertEquals(7, sample.sampling().seed());

        assertEquals(DecodingMode.BEAM_SEARCH, gc.longBelSettings(ids, 5, true, 7).mode());
        assertEquals(DecodingMode.GREEDY, gc.longBelSettings(ids, 1, true, 7).mode());
        assertEquals(DecodingMode.SAMPLE, gc.longBelSettings(ids, 1, false, 7).mode());
    }

    @Test
    void absentFileMeansDefaults(@TempDir Path dir) throws IOException {
        assertEquals(GenerationConfig.DEFAULTS, GenerationConfig.readCheckpoint(dir));
        assertEquals(DecodingMode.BEAM_SEARCH, GenerationConfig.DEFAULTS.longBelSettings(new SpecialIds(-1, 2, 2), 5, false, 0).mode());
    }

    @Test
    void errorsNameTheFileAndTheField(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("generation_config.json");
        Files.writeString(f, "{\"do_sample\": true, \"repetition_penalty\": 1.3}");
        IOException e = assertThrows(IOException.class, () -> GenerationConfig.read(f));
        assertTrue(e.getMessage().contains("generation_config.json") && e.getMessage().contains("repetition_penalty"), e.getMessage());
        Files.writeString(f, "{\"temperature\": \"hot\"}");
        e = assertThrows(IOException.class, () -> GenerationConfig.read(f));
        assertTrue(e.getMessage().contains("temperature"), e.getMessage());
        Files.writeString(f, "{\"early_stopping\": \"sometimes\"}");
        e = assertThrows(IOException.class, () -> GenerationConfig.read(f));
        assertTrue(e.getMessage().contains("early_stopping"), e.getMessage());
        Files.writeString(f, "{not json");
        e = assertThrows(IOException.class, () -> GenerationConfig.read(f));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }
    @Test
    void explicitNullTopKTurnsTheWarperOff(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("generation_config.json");
        Files.writeString(f, "{\"do_sample\": true, \"top_k\": null, \"top_p\": null, \"temperature\": null}");
        GenerationConfig gc = GenerationConfig.read(f);
        assertEquals(0, gc.topK(), "None: no TopKLogitsWarper");
        assertEquals(1.0, gc.topP());
        assertEquals(1.0, gc.temperature());
        Files.writeString(f, "{\"do_sample\": true}");
        assertEquals(50, GenerationConfig.read(f).topK());
    }

    @Test
    void padTokenIdIsReadAndWinsOverTheEos(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("generation_config.json");
        Files.writeString(f, "{\"pad_token_id\": 128004}");
        GenerationConfig gc = GenerationConfig.read(f);
        assertEquals(128004, gc.padTokenId());
        assertEquals(128004, gc.padId(128009));
        assertEquals(128009, GenerationConfig.DEFAULTS.padId(128009), "unset: the eos passed");
        DecodingSettings s = gc.longBelSettings(new SpecialIds(128000, 128009, 128004), 5, true, 0);
        assertEquals(128004, s.padId());
        assertArrayEquals(new int[] {128009}, s.eosIds());
        // ids resolved from another generation config are refused
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gc.longBelSettings(new SpecialIds(128000, 128009, 128009), 5, true, 0));
        assertTrue(e.getMessage().contains("128004"), e.getMessage());
    }
}
