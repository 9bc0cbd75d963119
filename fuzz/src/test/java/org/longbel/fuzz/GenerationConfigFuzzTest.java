package org.longbel.fuzz;

import org.longbel.core.CheckpointException;
import org.longbel.decoding.GenerationConfig;
import org.longbel.decoding.SpecialIds;

import java.nio.file.Path;

/**
 * Fuzz target of a checkpoint's {@code generation_config.json}. A file that reads must also give LongBEL's
 * deterministic decoding settings (greedy or beams); its sampling settings may be refused, as Hugging Face refuses
 * them when it builds the sampling warpers, but only with an {@link IllegalArgumentException} naming the setting.
 */
class GenerationConfigFuzzTest {

    @ParserFuzz
    void generationConfig(byte[] data) throws Exception {
        Path file = FuzzSupport.write("generation_config.json", data);
        FuzzSupport.expect(CheckpointException.class, file.toString(), () -> {
            GenerationConfig gc = GenerationConfig.read(file);
            int eos = 2;
            SpecialIds ids = new SpecialIds(1, eos, gc.padId(eos));
            for (int beams : new int[] {1, 5}) {
                gc.longBelSettings(ids, beams, true, 0);
                try {
                    gc.longBelSettings(ids, beams, false, 0);
                } catch (IllegalArgumentException e) {
                    if (!gc.doSample() || !e.getMessage().matches("(temperature|top_k|top_p) .*")) throw e;
                }
            }
        });
    }
}
