package org.longbel.fuzz;

import org.longbel.core.CheckpointException;
import org.longbel.core.safetensors.SafetensorsFile;

import java.lang.foreign.Arena;
import java.nio.file.Path;

/** Fuzz targets of the safetensors reader: a whole {@code .safetensors} file (length prefix, header, data). */
class SafetensorsFuzzTest {

    @ParserFuzz
    void file(byte[] data) throws Exception {
        Path file = FuzzSupport.write("model.safetensors", data);
        FuzzSupport.expect(CheckpointException.class, file.toString(), () -> {
            try (Arena arena = Arena.ofConfined()) {
                SafetensorsFile.open(file, arena);
            }
        });
    }
}
