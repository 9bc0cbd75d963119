package org.longbel.core.safetensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longbel.core.DType;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SafetensorsWriterTest {

    @TempDir
    Path tmp;

    @Test
    void writtenFileReadsBack() throws IOException {
        Path file = tmp.resolve("t.safetensors");
        List<SafetensorsWriter.Spec> specs = List.of(
                new SafetensorsWriter.Spec("a", DType.F32, new long[]{2, 3}),
                new SafetensorsWriter.Spec("b", DType.BF16, new long[]{3}));
        try (SafetensorsWriter w = SafetensorsWriter.create(file, specs, Map.of("format", "pt"))) {
            ByteBuffer buf = ByteBuffer.allocate(24 + 6).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 6; i++) buf.putFloat(i * 0.5f);
            for (int i = 0; i < 3; i++) buf.putShort(TensorElements.floatToBf16(-i));
            w.write(buf.flip());
        }
        try (Arena arena = Arena.ofConfined()) {
            SafetensorsFile f = SafetensorsFile.open(file, arena);
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertEquals(List.of("a", "b"), List.copyOf(f.tensors().keySet()));
            assertArrayEquals(new float[]{0, 0.5f, 1, 1.5f, 2, 2.5f}, TensorElements.toFloatArray(f.tensors().get("a")));
            assertArrayEquals(new float[]{0, -1, -2}, TensorElements.toFloatArray(f.tensors().get("b")));
            assertArrayEquals(new long[]{2, 3}, f.tensors().get("a").shape());
        }
    }

    @Test
    void headerIsPaddedToEightBytes() {
        for (int n = 1; n < 12; n++) {
            byte[] h = SafetensorsWriter.headerBytes(List.of(new SafetensorsWriter.Spec("x".repeat(n), DType.F16, new long[]{n})), Map.of());
            assertEquals(0, h.length % 8);
        }
    }

    @Test
    void closingBeforeAllBytesAreWrittenFails() throws IOException {
        SafetensorsWriter w = SafetensorsWriter.create(tmp.resolve("short.safetensors"),
                List.of(new SafetensorsWriter.Spec("a", DType.F32, new long[]{4})), Map.of());
        w.write(ByteBuffer.allocate(8));
        assertThrows(IllegalStateException.class, () -> w.write(ByteBuffer.allocate(12)));
        assertThrows(IllegalStateException.class, w::close);
    }
}
