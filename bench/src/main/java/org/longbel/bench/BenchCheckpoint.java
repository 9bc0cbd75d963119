package org.longbel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.longbel.core.DType;
import org.longbel.core.ModelConfig;
import org.longbel.core.ModelConfigReader;
import org.longbel.core.RandomCheckpoint;

/**
 * The LongBEL-1B-shaped checkpoint a benchmark runs on: the directory named by {@code LONGBEL_BENCH_MODEL} (for
 * example one made by {@code longbel random-model}), or random BF16 weights written into a temporary directory
 * (2.5 GB) that {@link #close} deletes.
 */
final class BenchCheckpoint implements AutoCloseable {

    /** The checkpoint directory. */
    final Path dir;
    private final Path temp;

    private BenchCheckpoint(Path dir, Path temp) {
        this.dir = dir;
        this.temp = temp;
    }

    static BenchCheckpoint open() throws IOException {
        String given = System.getenv("LONGBEL_BENCH_MODEL");
        if (given != null) return new BenchCheckpoint(Path.of(given), null);
        Path temp = Files.createTempDirectory("longbel-bench");
        Path dir = temp.resolve("longbel-1b-random");
        ModelConfig config = ModelConfigReader.parse(ForwardBenchmark.LONGBEL_1B_CONFIG, "LongBEL-1B config");
        RandomCheckpoint.write(config, dir, 42, DType.BF16);
        return new BenchCheckpoint(dir, temp);
    }

    @Override
    public void close() throws IOException {
        if (temp == null) return;
        try (Stream<Path> files = Files.walk(temp)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
