package org.longbel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.longbel.core.Checkpoint;
import org.longbel.core.DType;
import org.longbel.core.ModelConfig;
import org.longbel.core.ModelConfigReader;
import org.longbel.core.RandomCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code longbel random-model --config CONFIG.json --out DIR [--seed S] [--dtype bf16|f32]}: writes a
 * checkpoint directory with seeded random weights of the config's shape, for benchmarks and tests.
 */
@Command(name = "random-model", mixinStandardHelpOptions = true,
        description = "Write a checkpoint directory (config.json + model.safetensors) with seeded random weights.")
public final class RandomModelCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "CONFIG.json", description = "A Llama config.json.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to create (must not exist).")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dtype", defaultValue = "bf16", converter = DTypeConverter.class, paramLabel = "bf16|f16|f32",
            description = "Element type: bf16, f16 or f32 (default: ${DEFAULT-VALUE}).")
    DType dtype;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        long start = System.nanoTime();
        ModelConfig modelConfig = ModelConfigReader.read(config);
        RandomCheckpoint.write(modelConfig, out, seed, dtype);
        double seconds = (System.nanoTime() - start) / 1e9;
        try (Checkpoint ckpt = Checkpoint.open(out)) {
            ObjectNode n = JsonOutput.object();
            n.put("out", out.toAbsolutePath().normalize().toString());
            n.put("seed", seed);
            n.put("dtype", ckpt.dtypeSummary());
            n.put("parameters", ckpt.parameterCount());
            n.put("bytes", ckpt.bytesMapped());
            n.put("seconds", Math.round(seconds * 100) / 100.0);
            JsonOutput.printIndented(common.out(), n);
        }
        return 0;
    }

    /** Parses {@code bf16}, {@code f16}, {@code f32} (any case). */
    static final class DTypeConverter implements ITypeConverter<DType> {
        @Override
        public DType convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "bf16" -> DType.BF16;
                case "f16" -> DType.F16;
                case "f32" -> DType.F32;
                default -> throw new TypeConversionException("'" + value + "' is not one of bf16, f16, f32");
            };
        }
    }
}
