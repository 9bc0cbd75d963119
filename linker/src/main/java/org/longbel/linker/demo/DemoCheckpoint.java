package org.longbel.linker.demo;

import org.longbel.linker.CacheDirs;

import org.longbel.core.DType;
import org.longbel.core.ModelConfig;
import org.longbel.core.ModelConfigReader;
import org.longbel.core.RandomCheckpoint;
import org.longbel.linker.document.Page;
import org.longbel.linker.input.BigBioReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The demo checkpoint: random weights (seed 0, BF16) in the shape of the {@code tiny-llama32} test
 * model (vocabulary 128257, hidden 64, 2 layers, 4 heads, 2 KV heads, head_dim 16, llama3 RoPE,
 * tied embeddings), the real LongBEL tokenizer and the model card's concepts as its
 * {@code text_to_code.json}. Generated once into a cache directory; its predictions are meaningless.
 */
public final class DemoCheckpoint {
    /** Name of the checkpoint directory inside the cache directory (bumped when its content changes). */
    public static final String NAME = "tiny-random-v1";
    private static final String RESOURCES = "/demo/";
    private static final long SEED = 0;

    private DemoCheckpoint() {
    }

    /**
     * {@code $XDG_CACHE_HOME/longbel/demo}, or {@code ~/.cache/longbel/demo} when XDG_CACHE_HOME is unset.
     */
    public static Path defaultCacheDir() {
        return CacheDirs.of("demo");
    }

    /**
     * The checkpoint directory inside {@code cacheDir}, generated first if absent. Generation writes a
     * sibling directory and renames it into place, so an interrupted run leaves nothing half-written
     * and concurrent runs agree on one result.
     *
     * @return the checkpoint directory
     */
    public static Path ensure(Path cacheDir) throws IOException {
        Path dir = cacheDir.toAbsolutePath().normalize().resolve(NAME);
        if (Files.isRegularFile(dir.resolve("text_to_code.json"))) return dir;
        Files.createDirectories(cacheDir);
        Path staging = cacheDir.toAbsolutePath().normalize().resolve("." + NAME + ".building-" + ProcessHandle.current().pid());
        deleteTree(staging);
        try {
            ModelConfig config = ModelConfigReader.parse(text("config.json"), "demo config.json");
            RandomCheckpoint.write(config, staging, SEED, DType.BF16);
            copyGzip("tokenizer.json.gz", staging.resolve("tokenizer.json"));
            copyGzip("tokenizer_config.json.gz", staging.resolve("tokenizer_config.json"));
            Files.writeString(staging.resolve("text_to_code.json"), text("seed_text_to_code.json"));
            try {
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // another run finished first: use its directory
            }
        } finally {
            deleteTree(staging);
        }
        return dir;
    }

    /** The model card's example document (one page, four mentions). */
    public static List<Page> examplePages() {
        try (InputStream in = resource("seed_example.json")) {
            return new BigBioReader().readArray(new InputStreamReader(in, StandardCharsets.UTF_8), "demo seed_example.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = DemoCheckpoint.class.getResourceAsStream(RESOURCES + name);
        if (in == null) throw new IllegalStateException("resource " + RESOURCES + name + " missing from the linker jar");
        return in;
    }

    private static String text(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void copyGzip(String name, Path target) throws IOException {
        try (InputStream in = new GZIPInputStream(resource(name), 1 << 16)) {
            Files.copy(in, target);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
