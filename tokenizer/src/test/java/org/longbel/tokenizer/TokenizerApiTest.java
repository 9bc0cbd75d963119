package org.longbel.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The public API on LongBEL's tokenizer: special ids, token lookups, decode options, batches, long words. */
class TokenizerApiTest {
    private final Tokenizer tok = Fixtures.tokenizer("longbel");

    @Test
    void specialIdsComeFromTokenizerConfig() {
        assertEquals(128000, tok.bosId());
        assertEquals(128009, tok.eosId());
        assertEquals(128009, tok.padId());
        assertEquals(128257, tok.vocabSize());
        assertTrue(tok.cleanUpTokenizationSpaces());
        Tokenizer llama = Fixtures.tokenizer("llama3");
        assertEquals(128009, llama.padId());   // no pad_token: falls back to eos
        assertEquals(128256, llama.vocabSize());
    }

    @Test
    void tokenLookups() {
        assertEquals(58, tok.tokenToId("["));
        assertEquals(92, tok.tokenToId("}"));
        assertEquals(128256, tok.tokenToId("<+>"));
        assertEquals(-1, tok.tokenToId("<no such token>"));
        assertEquals("<+>", tok.idToToken(128256));
        assertEquals("Ġpatient", tok.idToToken(tok.tokenToId("Ġpatient")));
        assertTrue(tok.isSpecial(58) && tok.isSpecial(128256) && tok.isSpecial(128000));
        assertFalse(tok.isSpecial(59) || tok.isSpecial(-5) || tok.isSpecial(999999));
        assertFalse(Fixtures.tokenizer("llama3").isSpecial(58));
    }

    @Test
    void markersAreSplitOutAsSpecialTokens() {
        int[] ids = tok.encode("le [rein]{Anatomy} <+> x", true);
        assertEquals(128000, ids[0]);
        assertEquals("le reinAnatomy  x", tok.decode(ids, true));
        assertEquals("<|begin_of_text|>le [rein]{Anatomy} <+> x", tok.decode(ids, false));
    }

    @Test
    void cleanUpTokenizationSpacesLikeTransformers() {
        // " ' " goes before " 'm": "I 'm ' here ' we" -> "I 'm'here'we" -> "I'm'here'we"
        assertEquals("Hello, world. Isn't it? Yes! I'm'here'we've they're it's",
                CleanUp.cleanUpTokenizationSpaces("Hello , world . Is n't it ? Yes ! I 'm ' here ' we 've they 're it 's"));
        assertEquals("a'b", CleanUp.cleanUpTokenizationSpaces("a ' b"));
        assertEquals("x .", CleanUp.cleanUpTokenizationSpaces("x  ."));         // each pass removes one space
        assertEquals("}'s-Hertogenbosch", CleanUp.cleanUpTokenizationSpaces("} 's-Hertogenbosch"));
        int[] ids = tok.encode("Pain , chest .", false);
        assertEquals("Pain, chest.", tok.decode(ids, false, true));
        assertEquals("Pain , chest .", tok.decode(ids, false, false));
    }

    @Test
    void batchEncodeEqualsSingleEncodeOnAnyExecutor() {
        Random rnd = new Random(7);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 300; i++) texts.add("Le patient " + i + " [reçoit]{Chemicals} " + Long.toString(rnd.nextLong(), 36) + " <+>");
        List<int[]> expected = texts.stream().map(t -> tok.encode(t, true)).toList();
        List<int[]> own = tok.encodeBatch(texts, true);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<int[]> given = tok.encodeBatch(texts, true, pool);
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(expected.get(i), own.get(i));
                assertArrayEquals(expected.get(i), given.get(i));
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(List.of(), tok.encodeBatch(List.of(), false));
    }

    @Test
    void oneTokenizerServesManyThreadsAtOnce() throws Exception {
        Random rnd = new Random(11);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            texts.add("Patient " + i + " [" + Long.toString(rnd.nextLong(), 36) + "]{Disorders} <+> " + "x".repeat(rnd.nextInt(80)));
        }
        List<int[]> expected = texts.stream().map(t -> tok.encode(t, true)).toList();
        int threads = 6;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 37;
                results.add(pool.submit(() -> {
                    start.await();
                    int mismatches = 0;
                    for (int k = 0; k < texts.size(); k++) {
                        int i = (k + offset) % texts.size();
                        int[] ids = tok.encode(texts.get(i), true);
                        if (!java.util.Arrays.equals(expected.get(i), ids) || !tok.decode(ids, false).equals("<|begin_of_text|>" + texts.get(i))) {
                            mismatches++;
                        }
                    }
                    return mismatches;
                }));
            }
            for (var r : results) assertEquals(0, r.get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void oneMegabyteWordIsNearLinear() {
        Random rnd = new Random(3);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 1 << 20) sb.append((char) ('a' + rnd.nextInt(26)));
        String word = sb.toString();
        int[] ids = tok.encode(word, false);
        assertEquals(word, tok.decode(ids, false));
        // 16x the input must cost well under 16^2 the time (a quadratic merge would); best of a few runs
        String small = word.substring(0, word.length() / 16);
        long smallNs = bestOf(5, () -> tok.encode(small, false));
        long bigNs = bestOf(2, () -> tok.encode(word, false));
        assertTrue(bigNs < 5_000_000_000L, "1 MB word took " + bigNs / 1_000_000 + " ms");
        assertTrue(bigNs < smallNs * 16 * 4, "16x the input took " + (double) bigNs / smallNs + "x the time");
    }

    private static long bestOf(int runs, Runnable r) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best;
    }
}
