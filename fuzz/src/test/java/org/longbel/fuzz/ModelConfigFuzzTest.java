package org.longbel.fuzz;

import org.longbel.core.CheckpointException;
import org.longbel.core.ModelConfig;
import org.longbel.core.ModelConfigReader;

import java.nio.file.Path;

/** Fuzz target of a checkpoint's {@code config.json}, read from a file as a checkpoint is opened. */
class ModelConfigFuzzTest {

    @ParserFuzz
    void configJson(byte[] data) throws Exception {
        Path file = FuzzSupport.write("config.json", data);
        FuzzSupport.expect(CheckpointException.class, file.toString(), () -> {
            ModelConfig c = ModelConfigReader.read(file);
            // what the reader promises to the code that sizes the model from it
            if (c.numHeads() % c.numKvHeads() != 0 || c.headDim() % 2 != 0 || c.qDim() <= 0 || c.kvDim() <= 0) {
                throw new AssertionError("inconsistent config accepted: " + c);
            }
        });
    }
}
