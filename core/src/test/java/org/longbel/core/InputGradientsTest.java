package org.longbel.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.longbel.core.backend.CpuBackend;

/** The hand-written backward pass against the float64 autograd reference (fixtures' saliency.json). */
class InputGradientsTest {

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama32", "tiny-mha-untied"})
    void gradientNormsMatchTheFloat64Reference(String model) throws Exception {
        Path dir = TestCheckpoints.fixtureModel(model);
        JsonNode golden = new ObjectMapper().readTree(dir.getParent().getParent().resolve("golden").resolve(model)
                .resolve("saliency.json").toFile());
        int[] prompt = ints(golden.get("prompt_ids")), target = ints(golden.get("target_ids"));
        int[] ids = new int[prompt.length + target.length];
        System.arraycopy(prompt, 0, ids, 0, prompt.length);
        System.arraycopy(target, 0, ids, prompt.length, target.length);
        int[] excluded = ints(golden.get("excluded_ids"));
        double[] norms;
        try (LlamaModel lm = LlamaModel.load(dir, new CpuBackend(2))) {
            norms = lm.inputGradientNorms(ids, prompt.length, excluded, new int[] {excluded[excluded.length - 1]});
        }
        JsonNode want = golden.get("grad_l2_per_position");
        assertEquals(want.size(), norms.length);
        double worst = 0;
        for (int t = 0; t < norms.length; t++) {
            double w = want.get(t).asDouble();
            worst = Math.max(worst, Math.abs(norms[t] - w) / Math.max(Math.abs(w), 1e-30));
            assertEquals(w, norms[t], 1e-3 * Math.abs(w) + 1e-6, model + " position " + t);
        }
        double max = 0;
        for (int t = 0; t < prompt.length; t++) max = Math.max(max, norms[t]);
        JsonNode scores = golden.get("prompt_scores_normalized");
        for (int t = 0; t < prompt.length; t++) assertEquals(scores.get(t).asDouble(), norms[t] / max, 1e-3, "score " + t);
        System.out.printf("%s: worst relative error %.2e over %d positions%n", model, worst, norms.length);
    }

    @org.junit.jupiter.api.Test
    void theGradientAgreesWithCentralFiniteDifferencesOfTheObjective() {
        Path dir = TestCheckpoints.fixtureModel("tiny-mha-untied");
        int[] ids = {1, 17, 230, 44, 301, 2, 77, 5, 140, 22, 341, 265, 2};   // a hidden eos key inside the prompt
        int prompt = 9;
        int[] excluded = {1, 2};
        try (CpuBackend cpu = new CpuBackend(2); Checkpoint ck = Checkpoint.open(dir)) {
            InputGradients g = new InputGradients(ck.config(), ck.weights(), cpu,
                    Rope.of(ck.config().rope(), ck.config().headDim()).inverseFrequencies());
            float[] x0 = g.embeddings(ids);
            double[] objective = new double[1];
            float[] grad = g.gradient(x0, ids, prompt, excluded, new int[] {2}, objective);
            int D = ck.config().hiddenSize();
            // the eight largest gradient coordinates over prompt positions
            Integer[] order = new Integer[prompt * D];
            for (int i = 0; i < order.length; i++) order[i] = i;
            java.util.Arrays.sort(order, (a, b) -> Float.compare(Math.abs(grad[b]), Math.abs(grad[a])));
            double h = 1e-2;
            for (int k = 0; k < 8; k++) {
                int i = order[k];
                float[] plus = x0.clone(), minus = x0.clone();
                plus[i] += (float) h;
                minus[i] -= (float) h;
                double[] jp = new double[1], jm = new double[1];
                g.gradient(plus, ids, prompt, excluded, new int[] {2}, jp);
                g.gradient(minus, ids, prompt, excluded, new int[] {2}, jm);
                double fd = (jp[0] - jm[0]) / (2 * h);
                assertEquals(grad[i], fd, 2e-2 * Math.abs(grad[i]) + 1e-3,
                        "coordinate " + i % D + " of position " + i / D + " (objective " + objective[0] + ")");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void theNormsDoNotDependOnTheThreadCount() {
        Path dir = TestCheckpoints.fixtureModel("tiny-llama32");
        int[] ids = {128000, 58, 1234, 60, 90, 4567, 92, 345, 17, 99, 128009};
        double[] one, three;
        try (LlamaModel lm = LlamaModel.load(dir, new CpuBackend(1))) {
            one = lm.inputGradientNorms(ids, 8, new int[] {128000, 128009}, new int[] {128009});
        }
        try (LlamaModel lm = LlamaModel.load(dir, new CpuBackend(3))) {
            three = lm.inputGradientNorms(ids, 8, new int[] {128000, 128009}, new int[] {128009});
        }
        assertArrayEquals(one, three);
    }

    @org.junit.jupiter.api.Test
    void recomputingEachLayerGivesExactlyTheNormsOfKeepingThemAll() {
        Path dir = TestCheckpoints.fixtureModel("tiny-llama32");
        int[] ids = {128000, 58, 1234, 60, 90, 4567, 92, 345, 17, 99, 6697, 18881, 128009};
        try (CpuBackend cpu = new CpuBackend(2); Checkpoint ck = Checkpoint.open(dir)) {
            float[] inv = Rope.of(ck.config().rope(), ck.config().headDim()).inverseFrequencies();
            double[] kept = new InputGradients(ck.config(), ck.weights(), cpu, inv, Long.MAX_VALUE)
                    .norms(ids, 10, new int[] {128000, 128009}, new int[] {128009});
            double[] recomputed = new InputGradients(ck.config(), ck.weights(), cpu, inv, 0)
                    .norms(ids, 10, new int[] {128000, 128009}, new int[] {128009});
            assertArrayEquals(kept, recomputed);
            assertTrue(kept[3] > 0);
        }
    }
}
