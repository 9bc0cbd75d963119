package org.longbel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.longbel.core.KvCache;
import org.longbel.core.LlamaModel;
import org.longbel.core.LogSoftmax;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code longbel generate --model DIR --ids ... --max-new-tokens N}: greedy continuation through the KV cache
 * (the prompt is prefilled once, then one token per step, nothing recomputed), stopping after an eos id of the
 * config (included, as Hugging Face's generate does). Prints {@code {"generated_ids":[...]}}.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Greedy continuation of a token-id sequence through the KV cache, as JSON.")
public final class GenerateCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--ids", required = true, split = ",", paramLabel = "ID", description = "Prompt token ids, comma-separated.")
    int[] ids;

    @Option(names = "--max-new-tokens", required = true, paramLabel = "N", description = "Most tokens to generate.")
    int maxNewTokens;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        if (ids.length == 0) throw new IllegalArgumentException("--ids is empty");
        if (maxNewTokens < 0) throw new IllegalArgumentException("--max-new-tokens must not be negative, got " + maxNewTokens);
        ObjectNode result = JsonOutput.object();
        ArrayNode generated = result.putArray("generated_ids");
        try (LlamaModel lm = modelOptions.load(common.err());
             KvCache cache = ModelOptions.cacheFor(lm, positionsNeeded(lm))) {
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
        JsonOutput.printLine(common.out(), result);
        return 0;
    }

    /** The prompt plus every new token but the last, which is never fed back; at most max_position_embeddings. */
    private int positionsNeeded(LlamaModel lm) {
        long needed = ids.length + Math.max(0L, maxNewTokens - 1L);
        int max = lm.config().maxPositions();
        if (needed > max) {
            throw new IllegalArgumentException("--max-new-tokens " + maxNewTokens + " after " + ids.length
                    + " prompt ids needs " + needed + " positions, beyond the model's max_position_embeddings " + max);
        }
        return (int) needed;
    }

    private static boolean isEos(LlamaModel lm, int id) {
        return Arrays.stream(lm.config().eosTokenIds()).anyMatch(eos -> eos == id);
    }
}
