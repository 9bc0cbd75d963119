package org.longbel.core.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.longbel.core.DType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes a safetensors file as a stream: the header first (all shapes are known up front), then the
 * tensors' bytes in the order given, through {@link #write(ByteBuffer)}. Memory use does not depend on
 * the size of the tensors.
 *
 * <pre>{@code
 * try (SafetensorsWriter w = SafetensorsWriter.create(file, specs, Map.of())) {
 *     for (...) w.write(chunk);   // exactly the sum of the specs' byte sizes, in spec order
 * }
 * }</pre>
 */
public final class SafetensorsWriter implements AutoCloseable {

    /**
     * A tensor to be written.
     *
     * @param name  tensor name
     * @param dtype element type
     * @param shape dimensions, outermost first
     */
    public record Spec(String name, DType dtype, long[] shape) {

        /** product(shape) x dtype size. */
        public long byteSize() {
            long n = dtype.bytes();
            for (long d : shape) n = Math.multiplyExact(n, d);
            return n;
        }

        @Override
        public String toString() { return name + " " + dtype + Arrays.toString(shape); }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private final long dataBytes;
    private long written;

    private SafetensorsWriter(Path file, FileChannel channel, long dataBytes) {
        this.file = file;
        this.channel = channel;
        this.dataBytes = dataBytes;
    }

    /**
     * Creates {@code file} (which must not exist) and writes its header.
     *
     * @param tensors  the tensors, in the order their bytes will follow
     * @param metadata the {@code __metadata__} strings (may be empty)
     */
    public static SafetensorsWriter create(Path file, List<Spec> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = headerBytes(tensors, metadata);
        long dataBytes = 0;
        for (Spec s : tensors) dataBytes += s.byteSize();
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            ByteBuffer prefix = ByteBuffer.allocate(Long.BYTES + header.length).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(header.length).put(header).flip();
            writeFully(channel, prefix);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new SafetensorsWriter(file, channel, dataBytes);
    }

    /**
     * The header JSON for {@code tensors} laid out back to back, padded with spaces so that the data
     * section starts at a multiple of 8 bytes.
     */
    public static byte[] headerBytes(List<Spec> tensors, Map<String, String> metadata) {
        ObjectNode root = MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Spec s : tensors) {
            if (root.has(s.name())) {
                throw new IllegalArgumentException("duplicate tensor name " + s.name());
            }
            ObjectNode entry = root.putObject(s.name());
            entry.put("dtype", s.dtype().name());
            Arrays.stream(s.shape()).forEach(entry.putArray("shape")::add);
            entry.putArray("data_offsets").add(offset).add(offset + s.byteSize());
            offset += s.byteSize();
        }
        byte[] json;
        try {
            json = MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a safetensors header", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    /** Appends the remaining bytes of {@code data} (little-endian tensor bytes, in spec order). */
    public void write(ByteBuffer data) throws IOException {
        if (written + data.remaining() > dataBytes) {
            throw new IllegalStateException(file + ": writing " + data.remaining() + " bytes after " + written
                    + " would exceed the " + dataBytes + " bytes the header declares");
        }
        written += data.remaining();
        writeFully(channel, data);
    }

    /**
     * Flushes the file to the storage device and closes it.
     *
     * @throws IllegalStateException if fewer bytes were written than the header declares
     */
    @Override
    public void close() throws IOException {
        try (channel) {
            if (written != dataBytes) {
                throw new IllegalStateException(file + ": " + written + " bytes of tensor data written but the header declares "
                        + dataBytes);
            }
            channel.force(true);
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) channel.write(buffer);
    }
}
