package org.longbel.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link TorchTopK} against libstdc++ itself: torch-topk-cases.txt was produced by
 * torch_topk_cases.cpp (both in test resources), which runs PyTorch's CPU topk logic with
 * {@code std::partial_sort} / {@code std::nth_element} / {@code std::sort} on inputs full of ties.
 */
class TorchTopKTest {

    @Test
    void sameOrderAsLibstdcxxOnTies() throws IOException {
        int cases = 0;
        int heapCases = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                TorchTopKTest.class.getResourceAsStream("/torch-topk-cases.txt"), StandardCharsets.US_ASCII))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("#")) continue;
                String[] halves = line.split("\\|");
                String[] left = halves[0].trim().split(" ");
                int n = Integer.parseInt(left[0]);
                int k = Integer.parseInt(left[1]);
                float[] values = new float[n];
                for (int j = 0; j < n; j++) values[j] = parse(left[2 + j]);
                int[] expected = Arrays.stream(halves[1].trim().split(" ")).mapToInt(Integer::parseInt).toArray();
                assertArrayEquals(expected, TorchTopK.topk(values, k), "n=" + n + " k=" + k + ": " + halves[0]);
                if (TorchTopK.usesHeap(k, n)) {
                    heapCases++;
                    // the streamed form used by BeamSearch, offering only what can enter
                    TorchTopK.Stream s = new TorchTopK.Stream(k);
                    for (int j = 0; j < k; j++) s.initial(values[j], j);
                    s.heapify();
                    for (int j = k; j < n; j++) if (s.accepts(values[j])) s.offer(values[j], j);
                    assertArrayEquals(expected, s.finish(), "streamed n=" + n + " k=" + k);
                }
                cases++;
            }
        }
        assertTrue(cases > 150 && heapCases > 20, cases + " cases, " + heapCases + " on the heap path");
    }

    @Test
    void heapPathOrdersEqualValuesByHeapMechanicsNotByIndex() {
        // masked first entries, then a tie at `a` (tokens 10, 20) and a tie at -1e9 (dead copies);
        // expected orders checked with std::partial_sort / std::nth_element of libstdc++ (GCC)
        int v = 700;
        TorchTopK.Stream s = new TorchTopK.Stream(4);
        for (int j = 0; j < 4; j++) s.initial(Float.NEGATIVE_INFINITY, j);
        s.heapify();
        float a = -0.916f;
        s.offer(a, 10);
        s.offer(a, 20);
        s.offer(-1.0e9f, v + 10);
        s.offer(-1.0e9f, v + 20);
        assertArrayEquals(new int[] {10, 20, v + 20, v + 10}, s.finish());
        // the running top-2 of those four (nth_element path): the second tied entry first
        assertArrayEquals(new int[] {1, 0}, TorchTopK.topk(new float[] {a, a, -1.0e9f, -1.0e9f}, 2));
    }

    private static float parse(String s) {
        return switch (s) {
            case "-inf" -> Float.NEGATIVE_INFINITY;
            case "inf" -> Float.POSITIVE_INFINITY;
            default -> Float.parseFloat(s);
        };
    }
}
