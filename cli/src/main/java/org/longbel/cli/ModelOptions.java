package org.longbel.cli;

import org.longbel.core.KvCache;
import org.longbel.core.LlamaModel;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The checkpoint options of the commands that run the model forward on token ids ({@code logprobs},
 * {@code generate}), mixed in with {@code @Mixin ModelOptions modelOptions;}, and how they open it.
 */
final class ModelOptions {
    private static final int BLOCK_SIZE = 16;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Hugging Face checkpoint directory.")
    Path model;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all processors).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Mixin
    DeviceOptions device;

    /** Loads the checkpoint on the requested device with the requested worker threads; says which device on {@code err}. */
    LlamaModel load(PrintWriter err) {
        return LlamaModel.load(model, device.open(threads, err).backend());
    }

    /** A KV cache of {@code lm} with room for one sequence of {@code tokens} tokens. */
    static KvCache cacheFor(LlamaModel lm, int tokens) {
        return lm.newCache(BLOCK_SIZE, lm.kvBytes(tokens, BLOCK_SIZE));
    }
}
