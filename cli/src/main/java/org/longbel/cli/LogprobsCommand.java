package org.longbel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import org.longbel.core.KvCache;
import org.longbel.core.LlamaModel;
import org.longbel.core.LogSoftmax;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code longbel logprobs --model DIR --ids 128000,58,... [--top K] [--positions all|i,j,...]}: one forward
 * over the ids and, at each asked position i, the top-K of {@code log_softmax} over the full vocabulary of
 * the logits at i (the distribution of token i+1), best first, as JSON.
 */
@Command(name = "logprobs", mixinStandardHelpOptions = true,
        description = "Next-token log-probabilities (top K) at chosen positions of a token-id sequence, as JSON.")
public final class LogprobsCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--ids", required = true, split = ",", paramLabel = "ID", description = "Token ids, comma-separated.")
    int[] ids;

    @Option(names = "--top", defaultValue = "5", paramLabel = "K", description = "Entries per position (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--positions", defaultValue = "last", paramLabel = "all|i,j,...",
            description = "Positions whose next-token distribution to print: all, last (default) or a list of indices.")
    String positions;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        if (ids.length == 0) throw new IllegalArgumentException("--ids is empty");
        if (top < 1) throw new IllegalArgumentException("--top must be at least 1, got " + top);
        int[] at = parsePositions(positions, ids.length);
        ObjectNode result = JsonOutput.object();
        ArrayNode out = result.putArray("positions");
        try (LlamaModel lm = modelOptions.load(common.err());
             KvCache cache = ModelOptions.cacheFor(lm, ids.length)) {
            int seq = cache.newSequence();
            float[][] logits = lm.forward(cache, new int[] {seq}, new int[][] {ids}, new int[][] {at})[0];
            for (int i = 0; i < at.length; i++) {
                float[] logprobs = LogSoftmax.of(logits[i]);
                ObjectNode entry = out.addObject();
                entry.put("pos", at[i]);
                ArrayNode topIds = entry.putArray("top_ids"), topLogprobs = entry.putArray("top_logprobs");
                for (int id : LogSoftmax.topK(logprobs, top)) {
                    topIds.add(id);
                    topLogprobs.add(logprobs[id]);
                }
            }
        }
        JsonOutput.printLine(common.out(), result);
        return 0;
    }

    /** {@code all}, {@code last} or ascending comma-separated indices into a sequence of {@code length} tokens. */
    static int[] parsePositions(String spec, int length) {
        if (spec.equals("last")) return new int[] {length - 1};
        if (spec.equals("all")) {
            int[] all = new int[length];
            for (int i = 0; i < length; i++) all[i] = i;
            return all;
        }
        String[] parts = spec.split(",");
        int[] at = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                at[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--positions: '" + parts[i] + "' is not an index (use all, last or i,j,...)");
            }
            if (at[i] < 0 || at[i] >= length) {
                throw new IllegalArgumentException("--positions: " + at[i] + " is outside the " + length + " ids [0, " + length + ")");
            }
            if (i > 0 && at[i] <= at[i - 1]) throw new IllegalArgumentException("--positions must be ascending, got " + spec);
        }
        return at;
    }
}
