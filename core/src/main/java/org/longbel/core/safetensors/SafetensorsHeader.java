package org.longbel.core.safetensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.longbel.core.CheckpointException;
import org.longbel.core.DType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated JSON header of one safetensors file.
 *
 * <p>Validation: the header is one JSON object; every key other than {@code __metadata__} is a tensor
 * name that occurs once, with a known {@code dtype}, a {@code shape} of non-negative integers and
 * {@code data_offsets} {@code [begin, end]} inside the data section, {@code end - begin} equal to
 * product(shape) x dtype size; the tensors with bytes tile the data section exactly, as the reference
 * implementation requires: no overlap, no hole, nothing after the last one (so no bytes hide in a file).
 *
 * @param tensors  entries in header order
 * @param metadata the {@code __metadata__} strings (empty if absent)
 */
public record SafetensorsHeader(List<TensorEntry> tensors, Map<String, String> metadata) {

    /** The key that holds free-form string metadata instead of a tensor. */
    public static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    /**
     * Parses and validates a header.
     *
     * @param file     the file it comes from (for messages only)
     * @param json     the N header bytes
     * @param dataSize size in bytes of the data section that follows the header
     * @throws CheckpointException naming the file and the tensor on any inconsistency
     */
    public static SafetensorsHeader parse(Path file, byte[] json, long dataSize) {
        Map<String, JsonNode> entries = readTopLevel(file, json);
        Map<String, String> metadata = Map.of();
        List<TensorEntry> tensors = new ArrayList<>(entries.size());
        for (Map.Entry<String, JsonNode> e : entries.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                metadata = readMetadata(file, e.getValue());
            } else {
                tensors.add(readEntry(file, e.getKey(), e.getValue(), dataSize));
            }
        }
        checkTiling(file, tensors, dataSize);
        return new SafetensorsHeader(List.copyOf(tensors), metadata);
    }

    /** Reads the top-level object key by key, so that a duplicate tensor name gets its own message. */
    private static Map<String, JsonNode> readTopLevel(Path file, byte[] json) {
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        try (JsonParser p = MAPPER.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new CheckpointException(file + ": safetensors header is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                JsonNode value = p.readValueAsTree();
                if (entries.putIfAbsent(name, value) != null) {
                    throw new CheckpointException(file + ": duplicate tensor name '" + name + "' in the safetensors header");
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new CheckpointException(file + ": safetensors header has content after its JSON object");
            }
        } catch (JacksonException e) {
            // Jackson's limits (nesting depth, number length) report no location
            String where = e.getLocation() == null ? "" : " (header byte " + e.getLocation().getByteOffset() + ")";
            throw new CheckpointException(file + ": safetensors header is not valid JSON: " + e.getOriginalMessage()
                    + where, e);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read the safetensors header: " + e.getMessage(), e);
        }
        return entries;
    }

    private static Map<String, String> readMetadata(Path file, JsonNode node) {
        if (!node.isObject()) {
            throw new CheckpointException(file + ": '" + METADATA_KEY + "' must be a JSON object of strings");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new CheckpointException(file + ": '" + METADATA_KEY + "." + e.getKey() + "' must be a string");
            }
            metadata.put(e.getKey(), e.getValue().textValue());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static TensorEntry readEntry(Path file, String name, JsonNode node, long dataSize) {
        String where = file + ": tensor '" + name + "'";
        if (!node.isObject()) {
            throw new CheckpointException(where + ": header entry must be a JSON object with dtype, shape and data_offsets");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new CheckpointException(where + ": missing or non-string 'dtype'");
        }
        DType dtype = parseDType(where, dtypeNode.textValue());
        long[] shape = nonNegativeLongs(where, "shape", node.get("shape"));
        long[] offsets = nonNegativeLongs(where, "data_offsets", node.get("data_offsets"));
        if (offsets.length != 2) {
            throw new CheckpointException(where + ": 'data_offsets' must be [begin, end], got " + Arrays.toString(offsets));
        }
        long begin = offsets[0], end = offsets[1];
        if (begin > end) {
            throw new CheckpointException(where + ": data_offsets " + Arrays.toString(offsets) + " has begin after end");
        }
        if (end > dataSize) {
            throw new CheckpointException(where + ": data_offsets " + Arrays.toString(offsets)
                    + " reach past the end of the data section (" + dataSize + " bytes); the file is truncated or corrupt");
        }
        long expected = byteSize(where, shape, dtype);
        if (end - begin != expected) {
            throw new CheckpointException(where + ": data_offsets " + Arrays.toString(offsets) + " cover " + (end - begin)
                    + " bytes but shape " + Arrays.toString(shape) + " of " + dtype + " needs " + expected);
        }
        return new TensorEntry(name, dtype, shape, begin, end);
    }

    private static DType parseDType(String where, String name) {
        return switch (name) {
            case "BF16" -> DType.BF16;
            case "F16" -> DType.F16;
            case "F32" -> DType.F32;
            default -> throw new CheckpointException(where + ": unsupported dtype '" + name
                    + "' (supported: BF16, F16, F32)");
        };
    }

    private static long[] nonNegativeLongs(String where, String field, JsonNode node) {
        if (node == null || !node.isArray()) {
            throw new CheckpointException(where + ": missing or non-array '" + field + "'");
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new CheckpointException(where + ": '" + field + "' must hold non-negative integers, got " + node);
            }
            values[i] = v.longValue();
        }
        return values;
    }

    private static long byteSize(String where, long[] shape, DType dtype) {
        try {
            long n = dtype.bytes();
            for (long d : shape) n = Math.multiplyExact(n, d);
            return n;
        } catch (ArithmeticException e) {
            throw new CheckpointException(where + ": shape " + Arrays.toString(shape) + " is too large");
        }
    }

    private static void checkTiling(Path file, List<TensorEntry> tensors, long dataSize) {
        List<TensorEntry> byOffset = new ArrayList<>(tensors);
        byOffset.removeIf(t -> t.byteSize() == 0);
        byOffset.sort(Comparator.comparingLong(TensorEntry::begin));
        TensorEntry prev = null;
        long covered = 0;
        for (TensorEntry cur : byOffset) {
            if (prev != null && cur.begin() < prev.end()) {
                throw new CheckpointException(file + ": tensor '" + cur.name() + "' bytes [" + cur.begin() + ", " + cur.end()
                        + ") overlap tensor '" + prev.name() + "' bytes [" + prev.begin() + ", " + prev.end() + ")");
            }
            if (cur.begin() > covered) {
                throw new CheckpointException(file + ": data-section bytes [" + covered + ", " + cur.begin()
                        + ") before tensor '" + cur.name() + "' belong to no tensor"
                        + (prev == null ? "" : " (the previous one, '" + prev.name() + "', ends at " + prev.end() + ")")
                        + "; the data_offsets are inconsistent");
            }
            covered = cur.end();
            prev = cur;
        }
        if (covered != dataSize) {
            String last = prev == null ? "" : " (the last one, '" + prev.name() + "', ends there)";
            throw new CheckpointException(file + ": the data section is " + dataSize + " bytes but its tensors end at byte "
                    + covered + last + "; the " + (dataSize - covered) + " bytes after that belong to no tensor");
        }
    }
}
