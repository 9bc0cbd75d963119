package org.longbel.core.safetensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.longbel.core.CheckpointException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A parsed {@code model.safetensors.index.json}: which shard file holds each tensor.
 *
 * @param file      the index file (for messages)
 * @param weightMap tensor name to shard file name (a plain name inside the checkpoint directory)
 */
public record SafetensorsIndex(Path file, Map<String, String> weightMap) {

    /** The file name Hugging Face gives the index of a sharded checkpoint. */
    public static final String FILE_NAME = "model.safetensors.index.json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    /**
     * Reads and validates an index: a JSON object whose {@code weight_map} maps each tensor name to the
     * plain file name of a shard in the same directory.
     *
     * @throws CheckpointException naming the index file and the offending entry
     */
    public static SafetensorsIndex read(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (JacksonException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new CheckpointException(file + ": not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (CharacterCodingException e) {
            throw new CheckpointException(file + ": not valid UTF-8 text", e);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new CheckpointException(file + ": missing the 'weight_map' object");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            JsonNode shard = e.getValue();
            if (!shard.isTextual() || !isPlainFileName(shard.textValue())) {
                throw new CheckpointException(file + ": weight_map entry for tensor '" + e.getKey()
                        + "' must be the plain name of a file in the same directory, got " + shard);
            }
            weightMap.put(e.getKey(), shard.textValue());
        }
        if (weightMap.isEmpty()) {
            throw new CheckpointException(file + ": 'weight_map' is empty");
        }
        return new SafetensorsIndex(file, Collections.unmodifiableMap(weightMap));
    }

    /** The distinct shard file names, in order of first mention. */
    public List<String> shardNames() {
        return List.copyOf(new LinkedHashSet<>(weightMap.values()));
    }

    private static boolean isPlainFileName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..")
                && name.indexOf('/') < 0 && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
    }
}
