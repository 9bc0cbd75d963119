package org.longbel.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.longbel.core.CheckpointException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        GenerationConfig gc = GenerationConfig.readCheckpoint(dir);
        assertEquals(GenerationConfig.DEFAULTS, gc);
        // Hugging Face's GenerationConfig() (transformers 4.57): greedy, T 1, top-k 50, top-p 1, one beam, no ids
        assertEquals(false, gc.doSample());
        assertEquals(1.0, gc.temperature());
        assertEquals(50, gc.topK());
        assertEquals(1.0, gc.topP());
        assertEquals(1, gc.numBeams());
        assertEquals(1.0, gc.lengthPenalty());
        assertEquals(EarlyStopping.FALSE, gc.earlyStopping());
        assertArrayEquals(new int[0], gc.eosTokenIds());
        assertEquals(-1, gc.padTokenId());
        assertEquals(-1, gc.bosTokenId());
        // an empty file object means the same
        Files.writeString(dir.resolve("generation_config.json"), "{}");
        GenerationConfig empty = GenerationConfig.readCheckpoint(dir);
        assertEquals(List.of(false, 1.0, 50, 1.0, 1, -1, -1, 1.0, EarlyStopping.FALSE),
                List.of(empty.doSample(), empty.temperature(), empty.topK(), empty.topP(), empty.numBeams(),
                        empty.padTokenId(), empty.bosTokenId(), empty.lengthPenalty(), empty.earlyStopping()));
        Files.delete(dir.resolve("generation_config.json"));
        assertEquals(DecodingMode.BEAM_SEARCH, GenerationConfig.DEFAULTS.longBelSettings(new SpecialIds(-1, 2, 2), 5, false, 0).mode());
    }

    @Test
    void errorsNameTheFileAndTheField(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("generation_config.json");
        Files.writeString(f, "{\"do_sample\": true, \"repetition_penalty\": 1.3}");
        CheckpointException e = assertThrows(CheckpointException.class, () -> GenerationConfig.read(f));
        assertTrue(e.getMessage().contains("generation_config.json") && e.getMessage().contains("repetition_penalty"), e.getMessage());
        Files.writeString(f, "{\"temperature\": \"hot\"}");
        e = assertThrows(CheckpointException.class, () -> GenerationConfig.read(f));
        assertTrue(e.getMessage().contains("temperature"), e.getMessage());
        Files.writeString(f, "{\"early_stopping\": \"sometimes\"}");
        e = assertThrows(CheckpointException.class, () -> GenerationConfig.read(f));
        assertTrue(e.getMessage().contains("early_stopping"), e.getMessage());
        Files.writeString(f, "{not json");
        e = assertThrows(CheckpointException.class, () -> GenerationConfig.read(f));
        assertTrue(e.getMessage().contains("not valid JSON (line 1, column 2)"), e.getMessage());
    }

    @Test
    void malformedContentIsACheckpointErrorNamingTheFileAndField(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("generation_config.json");
        String[][] cases = {
                {"[1, 2]", "must hold a JSON object"},
                {"", "must hold a JSON object"},
                {"{\"num_beams\": 2.5}", "num_beams must be an integer, got 2.5"},
                {"{\"num_beams\": 0}", "num_beams must be at least 1"},
                {"{\"pad_token_id\": 1e30}", "pad_token_id must be an integer"},
                {"{\"pad_token_id\": -2}", "pad_token_id must be at least -1"},
                {"{\"bos_token_id\": 4294967296}", "bos_token_id must be an integer"},
                {"{\"top_k\": 5.5}", "top_k must be an integer"},
                {"{\"eos_token_id\": [1, -3]}", "eos_token_id holds -3"},
                {"{\"eos_token_id\": 2.0}", "eos_token_id must be an id or a list of ids"},
                {"{\"length_penalty\": 1e400}", "length_penalty must be finite"},
                {"{\"x\": " + "[".repeat(1500) + "]".repeat(1500) + "}", "not valid JSON: Document nesting depth"},
        };
        for (String[] c : cases) {
            Files.writeString(f, c[0]);
            CheckpointException e = assertThrows(CheckpointException.class, () -> GenerationConfig.read(f), c[0]);
            assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().contains(c[1]), e.getMessage());
        }
        Files.write(f, new byte[] {'{', '"', (byte) 0xFF, '"', ':', '1', '}'});
        CheckpointException e = assertThrows(CheckpointException.class, () -> GenerationConfig.read(f));
        assertEquals(f + ": not valid UTF-8 text", e.getMessage());
        Files.writeString(f, "{\"pad_token_id\": -1, \"bos_token_id\": 0}");
        assertEquals(-1, GenerationConfig.read(f).padTokenId(), "-1: the old convention for no pad");
    }

    @Test
    void outOfRangeSamplingSettingsLoadAndAreRefusedOnlyWhenSampling(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("generation_config.json");
        Files.writeString(f, "{\"do_sample\": true, \"temperature\": 0.0, \"top_k\": -1}");
        GenerationConfig gc = GenerationConfig.read(f);
        SpecialIds ids = new SpecialIds(0, 2, 2);
        assertEquals(DecodingMode.BEAM_SEARCH, gc.longBelSettings(ids, 5, true, 0).mode(), "as Hugging Face: no warper, no check");
        assertThrows(IllegalArgumentException.class, () -> gc.longBelSettings(ids, 5, false, 0));
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
