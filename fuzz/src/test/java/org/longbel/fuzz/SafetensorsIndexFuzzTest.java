package org.longbel.fuzz;

import org.longbel.core.CheckpointException;
import org.longbel.core.safetensors.SafetensorsIndex;

import java.nio.file.Path;

/** Fuzz target of a sharded checkpoint's {@code model.safetensors.index.json} (which shard holds each tensor). */
class SafetensorsIndexFuzzTest {

    @ParserFuzz
    void index(byte[] data) throws Exception {
        Path file = FuzzSupport.write(SafetensorsIndex.FILE_NAME, data);
        FuzzSupport.expect(CheckpointException.class, file.toString(), () -> {
            SafetensorsIndex index = SafetensorsIndex.read(file);
            for (String shard : index.shardNames()) {
                if (Path.of(shard).getNameCount() != 1) throw new AssertionError("shard name escapes the directory: " + shard);
            }
        });
    }
}
