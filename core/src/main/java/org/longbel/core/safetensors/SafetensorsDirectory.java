package org.longbel.core.safetensors;

import org.longbel.core.CheckpointException;
import org.longbel.core.Tensor;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All tensors of a Hugging Face checkpoint directory: {@code model.safetensors}, or the shards listed in
 * {@code model.safetensors.index.json}. Every file is mapped whole into the given arena.
 *
 * <p>Across shards: a tensor name occurs in one shard only, and each shard holds exactly the tensors the
 * index assigns to it.
 */
public final class SafetensorsDirectory {

    /** The file name of a single-file checkpoint. */
    public static final String SINGLE_FILE_NAME = "model.safetensors";

    private final List<SafetensorsFile> files;
    private final Map<String, Tensor> tensors;
    private final Map<String, Path> fileOf;

    private SafetensorsDirectory(List<SafetensorsFile> files, Map<String, Tensor> tensors, Map<String, Path> fileOf) {
        this.files = files;
        this.tensors = tensors;
        this.fileOf = fileOf;
    }

    /**
     * Opens the single file if there is one, else the sharded index.
     *
     * @throws CheckpointException if neither exists or any file is invalid
     */
    public static SafetensorsDirectory open(Path dir, Arena arena) {
        Path single = dir.resolve(SINGLE_FILE_NAME);
        Path index = dir.resolve(SafetensorsIndex.FILE_NAME);
        if (Files.isRegularFile(single)) {
            SafetensorsFile file = SafetensorsFile.open(single, arena);
            Map<String, Path> fileOf = new LinkedHashMap<>();
            file.tensors().keySet().forEach(name -> fileOf.put(name, single));
            return new SafetensorsDirectory(List.of(file), file.tensors(), Collections.unmodifiableMap(fileOf));
        }
        if (Files.isRegularFile(index)) {
            return openSharded(dir, SafetensorsIndex.read(index), arena);
        }
        throw new CheckpointException(dir + ": no " + SINGLE_FILE_NAME + " and no " + SafetensorsIndex.FILE_NAME
                + "; this is not a safetensors checkpoint directory");
    }

    private static SafetensorsDirectory openSharded(Path dir, SafetensorsIndex index, Arena arena) {
        List<SafetensorsFile> files = new ArrayList<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, Path> fileOf = new LinkedHashMap<>();
        for (String shardName : index.shardNames()) {
            Path shard = dir.resolve(shardName);
            if (!Files.isRegularFile(shard)) {
                throw new CheckpointException(index.file() + ": lists shard " + shardName + " but " + shard + " does not exist");
            }
            SafetensorsFile file = SafetensorsFile.open(shard, arena);
            files.add(file);
            for (Tensor t : file.tensors().values()) {
                Path previous = fileOf.putIfAbsent(t.name(), shard);
                if (previous != null) {
                    throw new CheckpointException(shard + ": duplicate tensor name '" + t.name() + "', also in " + previous);
                }
                String assigned = index.weightMap().get(t.name());
                if (!shardName.equals(assigned)) {
                    throw new CheckpointException(shard + ": holds tensor '" + t.name() + "' but " + index.file()
                            + (assigned == null ? " does not list it" : " assigns it to " + assigned));
                }
                tensors.put(t.name(), t);
            }
        }
        for (Map.Entry<String, String> e : index.weightMap().entrySet()) {
            if (!tensors.containsKey(e.getKey())) {
                throw new CheckpointException(dir.resolve(e.getValue()) + ": has no tensor '" + e.getKey() + "', which "
                        + index.file() + " assigns to it");
            }
        }
        return new SafetensorsDirectory(List.copyOf(files), Collections.unmodifiableMap(tensors),
                Collections.unmodifiableMap(fileOf));
    }

    /** The mapped files, in the order they were opened. */
    public List<SafetensorsFile> files() { return files; }

    /** Every tensor of every file by name. */
    public Map<String, Tensor> tensors() { return tensors; }

    /** The file a tensor comes from. */
    public Path fileOf(String tensorName) { return fileOf.get(tensorName); }

    /** Total bytes mapped (the sum of the file sizes). */
    public long bytesMapped() {
        long n = 0;
        for (SafetensorsFile f : files) n += f.fileSize();
        return n;
    }
}
