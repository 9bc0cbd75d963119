package org.longbel.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.longbel.core.KvCache;
import org.longbel.core.LlamaModel;
import org.longbel.core.LogSoftmax;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code longbel generate --model DIR --ids ... --max-new-tokens N}: greedy continuation through the KV cache
 * (the prompt is prefilled once, then one token per step, nothing recomputed), stopping after an eos id of the
 * config (included, as Hugging Face's generate does). Prints {@code {"generated_ids":[...]}}.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Greedy continuation of a token-id sequence through the KV cache, as JSON.")
public final class GenerateCommand implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int BLOCK_SIZE = 16;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Hugging Face checkpoint directory.")
    Path model;

    @Option(names = "--ids", required = true, split = ",", paramLabel = "ID", description = "Prompt token ids, comma-separated.")
    int[] ids;

    @Option(names = "--max-new-tokens", required = true, paramLabel = "N", description = "Most tokens to generate.")
    int maxNewTokens;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all processors).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--verbose", description = "Print the stack trace of an error.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try {
            if (ids.length == 0) throw new IllegalArgumentException("--ids is empty");
            if (maxNewTokens < 0) throw new IllegalArgumentException("--max-new-tokens must not be negative, got " + maxNewTokens);
            ObjectNode result = MAPPER.createObjectNode();
            ArrayNode generated = result.putArray("generated_ids");
            try (LlamaModel lm = LlamaModel.load(model, threads);
                 KvCache cache = lm.newCache(BLOCK_SIZE, lm.kvBytes(ids.length + maxNewTokens, BLOCK_SIZE))) {
                int seq = cache.newSequence();
                int[] input = ids;
                for (int step = 0; step < maxNewTokens; step++) {
                    float[] logits = lm.forward(cache, new int[] {seq}, new int[][] {input}, new int[][] {{input.length - 1}})[0][0];
                    int next = LogSoftmax.argmax(logits);
                    generated.add(next);
                    if (isEos(lm, next)) break;
                    input = new int[] {next};
                }
            }
            spec.commandLine().getOut().println(MAPPER.writeValueAsString(result));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("longbel: " + e.getMessage());
            if (verbose) e.printStackTrace(spec.commandLine().getErr());
            spec.commandLine().getErr().flush();
            return 1;
        }
    }

    private static boolean isEos(LlamaModel lm, int id) {
        return Arrays.stream(lm.config().eosTokenIds()).anyMatch(eos -> eos == id);
    }
}
