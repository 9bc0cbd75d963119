package org.longbel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.longbel.core.KvCache;
import org.longbel.core.LlamaModel;
import org.longbel.core.LogSoftmax;
import org.longbel.core.backend.Backend;
import org.longbel.core.backend.BackendRequest;
import org.longbel.core.backend.Backends;
import org.longbel.core.backend.CpuBackend;
import org.longbel.core.backend.Device;
import org.longbel.core.backend.Precision;

/**
 * The numerical checks of {@code longbel gpu-check}: the CUDA forward against the float64 golden fixtures, and
 * against this engine's CPU forward on the same checkpoint. Each returns a {@link Result} row of the check's table.
 */
final class GpuParity {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GpuParity() {
    }

    /**
     * One row of the table: what was checked, on how many positions, the share whose top-1 (or top-5 ids) agree,
     * the largest log-prob difference, the tolerance, and whether it passed.
     */
    record Result(String check, int positions, double agreement, double maxDelta, double tolerance, double minAgreement) {
        boolean passed() { return agreement >= minAgreement && maxDelta <= tolerance; }
    }

    /**
     * The golden forward of {@code fixtures/golden/<model>/forward.json} on CUDA at {@code precision}: every
     * position's top-5 ids must equal the golden ones and their log-probs be within {@code tolerance}.
     */
    static Result golden(Path fixtures, String model, Precision precision, double tolerance) throws IOException {
        return golden(fixtures, model, () -> cuda(precision), "cuda " + precision, tolerance);
    }

    /** {@link #golden(Path, String, Precision, double)} on the backends {@code backend} opens (tests use the CPU). */
    static Result golden(Path fixtures, String model, Supplier<Backend> backend, String label, double tolerance) throws IOException {
        JsonNode golden = JSON.readTree(fixtures.resolve("golden").resolve(model).resolve("forward.json").toFile());
        int[] ids = ints(golden.get("input_ids"));
        float[][] logprobs;
        try (LlamaModel lm = LlamaModel.load(fixtures.resolve("models").resolve(model), backend.get())) {
            logprobs = allPositions(lm, ids);
        }
        int agree = 0;
        double maxDelta = 0;
        for (int p = 0; p < ids.length; p++) {
            int[] want = ints(golden.get("top5_ids").get(p));
            int[] got = LogSoftmax.topK(logprobs[p], want.length);
            if (java.util.Arrays.equals(want, got)) agree++;
            for (int i = 0; i < want.length; i++) {
                maxDelta = Math.max(maxDelta, Math.abs(logprobs[p][want[i]] - golden.get("top5_logprobs").get(p).get(i).asDouble()));
            }
        }
        return new Result("golden " + model + " (" + label + ", top-5 ids)", ids.length, (double) agree / ids.length, maxDelta,
                tolerance, 1.0);
    }

    /**
     * CUDA against the CPU on {@code checkpoint}: a random prompt of {@code tokens} ids (BOS first), every
     * position's log-probs. Agreement is on the top-1 id; the difference is over the CPU's top-5 ids.
     */
    static Result cpuVsCuda(Path checkpoint, int tokens, Precision precision, double tolerance, int threads) {
        return cpuVs(checkpoint, tokens, () -> cuda(precision), "cuda " + precision, tolerance, threads);
    }

    /** {@link #cpuVsCuda} against the backends {@code other} opens (tests use a second CPU backend). */
    static Result cpuVs(Path checkpoint, int tokens, Supplier<Backend> other, String label, double tolerance, int threads) {
        float[][] cpu, gpu;
        int[] ids;
        try (LlamaModel lm = LlamaModel.load(checkpoint, new CpuBackend(threads))) {
            ids = randomPrompt(lm.config().vocabSize(), tokens);
            cpu = allPositions(lm, ids);
        }
        try (LlamaModel lm = LlamaModel.load(checkpoint, other.get())) {
            gpu = allPositions(lm, ids);
        }
        int agree = 0;
        double maxDelta = 0;
        for (int p = 0; p < ids.length; p++) {
            if (LogSoftmax.argmax(cpu[p]) == LogSoftmax.argmax(gpu[p])) agree++;
            for (int id : LogSoftmax.topK(cpu[p], 5)) maxDelta = Math.max(maxDelta, Math.abs(cpu[p][id] - gpu[p][id]));
        }
        return new Result("cpu vs " + label + " " + checkpoint.getFileName() + " (top-1 id)", ids.length,
                (double) agree / ids.length, maxDelta, tolerance, 0.99);
    }

    private static Backend cuda(Precision precision) {
        return Backends.open(new BackendRequest(Device.CUDA, 1, precision)).backend();
    }

    /** Log-probs at every position of one forward of {@code ids}. */
    private static float[][] allPositions(LlamaModel lm, int[] ids) {
        int[] at = new int[ids.length];
        for (int i = 0; i < at.length; i++) at[i] = i;
        try (KvCache cache = ModelOptions.cacheFor(lm, ids.length)) {
            int seq = cache.newSequence();
            float[][] logits = lm.forward(cache, new int[] {seq}, new int[][] {ids}, new int[][] {at})[0];
            for (int p = 0; p < logits.length; p++) logits[p] = LogSoftmax.of(logits[p]);
            return logits;
        }
    }

    private static int[] randomPrompt(int vocab, int tokens) {
        SplittableRandom random = new SplittableRandom(20261208);
        int[] ids = new int[tokens];
        ids[0] = Math.min(128000, vocab - 1);
        for (int i = 1; i < tokens; i++) ids[i] = random.nextInt(Math.min(vocab, 128000));
        return ids;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }
}
