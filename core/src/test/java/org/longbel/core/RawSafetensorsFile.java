package org.longbel.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** A safetensors file taken apart into its header JSON and data bytes, so tests can break one thing. */
final class RawSafetensorsFile {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    final ObjectNode header;
    byte[] data;

    private RawSafetensorsFile(ObjectNode header, byte[] data) {
        this.header = header;
        this.data = data;
    }

    static RawSafetensorsFile read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int n = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ObjectNode header = (ObjectNode) MAPPER.readTree(Arrays.copyOfRange(bytes, 8, 8 + n));
        return new RawSafetensorsFile(header, Arrays.copyOfRange(bytes, 8 + n, bytes.length));
    }

    /** The (mutable) header entry of a tensor. */
    ObjectNode entry(String tensor) {
        return (ObjectNode) header.get(tensor);
    }

    void offsets(String tensor, long begin, long end) {
        entry(tensor).putArray("data_offsets").add(begin).add(end);
    }

    /** Removes a tensor's entry and its bytes, moving the tensors after it down, so the file stays valid. */
    void removeTensor(String tensor) {
        JsonNode removed = header.remove(tensor);
        long begin = removed.get("data_offsets").get(0).asLong(), end = removed.get("data_offsets").get(1).asLong();
        long length = end - begin;
        for (Map.Entry<String, JsonNode> e : header.properties()) {
            JsonNode offsets = e.getValue().get("data_offsets");
            if (offsets != null && offsets.get(0).asLong() >= end) {
                offsets(e.getKey(), offsets.get(0).asLong() - length, offsets.get(1).asLong() - length);
            }
        }
        byte[] kept = new byte[(int) (data.length - length)];
        System.arraycopy(data, 0, kept, 0, (int) begin);
        System.arraycopy(data, (int) end, kept, (int) begin, (int) (data.length - end));
        data = kept;
    }

    /** Adds an entry of zero bytes at the end of the data section. */
    void addEmptyTensor(String tensor) {
        ObjectNode extra = header.putObject(tensor);
        extra.put("dtype", "F32");
        extra.putArray("shape").add(0);
        extra.putArray("data_offsets").add(data.length).add(data.length);
    }

    void write(Path file) throws IOException {
        writeRaw(file, MAPPER.writeValueAsString(header), data);
    }

    /** Writes any header text (e.g. one with a duplicate key) followed by {@code data}. */
    static void writeRaw(Path file, String headerJson, byte[] data) throws IOException {
        byte[] json = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json).put(data);
        Files.write(file, out.array());
    }
}
