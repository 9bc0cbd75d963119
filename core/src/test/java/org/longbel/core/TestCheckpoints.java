package org.longbel.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Fixture paths and small generated checkpoints for the loading tests. */
public final class TestCheckpoints {

    private TestCheckpoints() {
    }

    /** The shared fixtures directory: system property {@code longbel.fixtures}, else ../../shared/fixtures. */
    public static Path fixtures() {
        String prop = System.getProperty("longbel.fixtures");
        return (prop == null ? Path.of("../../shared/fixtures") : Path.of(prop)).toAbsolutePath().normalize();
    }

    /** A fixture model directory, e.g. {@code tiny-llama32}. */
    public static Path fixtureModel(String name) {
        return fixtures().resolve("models").resolve(name);
    }

    /** A small config: GQA (4 heads, 2 KV heads), llama3 RoPE, tied or not. */
    public static String smallConfigJson(boolean tied) {
        return """
                {"model_type": "llama", "hidden_size": 16, "intermediate_size": 24, "num_hidden_layers": 2,
                 "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 40, "rms_norm_eps": 1e-5,
                 "max_position_embeddings": 256, "rope_theta": 500000.0,
                 "rope_scaling": {"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0,
                                  "high_freq_factor": 4.0, "original_max_position_embeddings": 64},
                 "tie_word_embeddings": %s, "bos_token_id": 1, "eos_token_id": [2, 3]}
                """.formatted(tied);
    }

    /** Writes a valid small random checkpoint into {@code parent/name} and returns its path. */
    public static Path writeSmall(Path parent, String name, boolean tied, DType dtype) {
        Path dir = parent.resolve(name);
        try {
            RandomCheckpoint.write(ModelConfigReader.parse(smallConfigJson(tied), "small config"), dir, 7, dtype);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** Copies the files (not sub-directories) of {@code from} into a new directory {@code to}. */
    public static Path copyDir(Path from, Path to) {
        try (Stream<Path> files = Files.list(from)) {
            Files.createDirectories(to);
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    Path copy = Files.copy(f, to.resolve(f.getFileName()));
                    copy.toFile().setWritable(true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }
}
