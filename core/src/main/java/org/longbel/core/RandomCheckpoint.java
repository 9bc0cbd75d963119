package org.longbel.core;

import org.longbel.core.safetensors.SafetensorsDirectory;
import org.longbel.core.safetensors.SafetensorsWriter;
import org.longbel.core.safetensors.TensorElements;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Writes a checkpoint directory ({@code config.json} + {@code model.safetensors}) with seeded random
 * weights at any config, for benchmarks at the real shape and for tests.
 *
 * <p>Scaling keeps activations finite through any number of layers: every linear weight is uniform with
 * standard deviation 1/sqrt(in) (variance preserving), the embedding and the LM head likewise with
 * 1/sqrt(hidden) (logits of order 1), RMSNorm weights are 1. Uniform rather than normal values: bounded,
 * and cheap to draw for the 1.2 B parameters of the 1B shape.
 *
 * <p>The directory is written atomically (a temporary sibling directory renamed into place) and
 * streamed: memory use does not depend on the model size.
 */
public final class RandomCheckpoint {

    private static final int CHUNK_BYTES = 1 << 22;

    private RandomCheckpoint() {
    }

    /**
     * Writes {@code outDir}, which must not exist yet; its parent is created if needed.
     *
     * @param seed  same seed, config and dtype give byte-identical files
     * @param dtype element type of every tensor
     * @throws IOException if the directory exists or cannot be written (nothing is left behind)
     */
    public static void write(ModelConfig config, Path outDir, long seed, DType dtype) throws IOException {
        Path out = outDir.toAbsolutePath().normalize();
        if (Files.exists(out)) {
            throw new IOException(out + " already exists; refusing to overwrite it");
        }
        Path parent = out.getParent();
        Files.createDirectories(parent);
        // a sibling, so that the final rename stays on one file system; created like any directory (umask)
        Path tmp = Files.createDirectory(parent.resolve("." + out.getFileName() + ".partial-"
                + Long.toHexString(System.nanoTime())));
        try {
            ModelConfigWriter.write(config, dtype, tmp.resolve("config.json"));
            writeTensors(config, tmp.resolve(SafetensorsDirectory.SINGLE_FILE_NAME), seed, dtype);
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                deleteRecursively(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static void writeTensors(ModelConfig config, Path file, long seed, DType dtype) throws IOException {
        List<SafetensorsWriter.Spec> specs = new ArrayList<>();
        for (Map.Entry<String, long[]> e : LlamaWeightBinder.expectedShapes(config).entrySet()) {
            specs.add(new SafetensorsWriter.Spec(e.getKey(), dtype, e.getValue()));
        }
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, specs, Map.of("format", "pt"))) {
            for (SafetensorsWriter.Spec spec : specs) {
                writeTensor(writer, spec, random.split(), chunk);
            }
        }
    }

    private static void writeTensor(SafetensorsWriter writer, SafetensorsWriter.Spec spec, SplittableRandom random,
                                    ByteBuffer chunk) throws IOException {
        boolean isNorm = spec.shape().length == 1;
        // Linear weights are [out, in]; the embedding and the LM head are [vocab, hidden]: in both cases
        // the fan-in is the last dimension.
        double std = isNorm ? 0 : 1 / Math.sqrt(spec.shape()[spec.shape().length - 1]);
        float halfWidth = (float) (std * Math.sqrt(3));
        long remaining = spec.byteSize() / spec.dtype().bytes();
        while (remaining > 0) {
            chunk.clear();
            int n = (int) Math.min(remaining, chunk.capacity() / spec.dtype().bytes());
            for (int i = 0; i < n; i++) {
                float v = isNorm ? 1f : halfWidth * (2 * nextUnit(random) - 1);
                switch (spec.dtype()) {
                    case BF16 -> chunk.putShort(TensorElements.floatToBf16(v));
                    case F16 -> chunk.putShort(Float.floatToFloat16(v));
                    case F32 -> chunk.putFloat(v);
                }
            }
            chunk.flip();
            writer.write(chunk);
            remaining -= n;
        }
    }

    /** A uniform float in [0, 1) from 24 random bits. */
    private static float nextUnit(SplittableRandom random) {
        return (random.nextInt() >>> 8) * 0x1.0p-24f;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
