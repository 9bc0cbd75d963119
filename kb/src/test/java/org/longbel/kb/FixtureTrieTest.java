package org.longbel.kb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longbel.tokenizer.Tokenizer;

/**
 * The trie of the real UMLS name sample, built with the LongBEL fixture tokenizer, holds exactly the
 * reference's sequences: tokenize("} " + name) with BOS, BOS dropped, {@code <|eot_id|>} appended.
 * The expected ids are also checked against Hugging Face's own (Rust) tokenizer.
 */
class FixtureTrieTest {
    static final int BOS = 128000, EOS = 128009, CLOSE_BRACE = 92;

    @TempDir static Path dir;
    static Tokenizer tokenizer;
    static KnowledgeBase kb;
    static ConceptTable source;

    static Path modelDir() {
        return TestKbs.fixtures().resolve("models/tiny-llama32");
    }

    @BeforeAll
    static void build() {
        Path sample = TestKbs.fixtures().resolve("kb/umls_names_sample_text_to_code.json");
        tokenizer = Tokenizer.fromDirectory(modelDir());
        source = TextToCodeJsonReader.read(sample);
        kb = new KbLoader(modelDir()).tokenizer(tokenizer).threads(2).cacheFile(dir.resolve("sample.trie")).load(sample);
    }

    @AfterAll
    static void close() {
        kb.close();
    }

    /** The reference's construction, written out independently of {@link TrieSequences}. */
    static int[] referenceSequence(int[] idsWithBos) {
        assertEquals(BOS, idsWithBos[0]);
        int[] seq = Arrays.copyOfRange(idsWithBos, 1, idsWithBos.length);
        if (seq[seq.length - 1] != EOS) {
            seq = Arrays.copyOf(seq, seq.length + 1);
            seq[seq.length - 1] = EOS;
        }
        return seq;
    }

    @Test
    void everyNameEndsAtItsEntry() {
        assertEquals(EOS, kb.eosId());
        assertEquals(source.groups(), kb.groups());
        assertEquals(3441, kb.size());
        for (String group : source.groups()) {
            TokenTrie trie = kb.trie(group);
            assertEquals(source.names(group).size(), kb.entryCount(group));
            for (var e : source.names(group).entrySet()) {
                int[] seq = referenceSequence(tokenizer.encode("} " + e.getKey(), true));
                assertEquals(CLOSE_BRACE, seq[0]);
                int node = trie.find(seq, 0, seq.length);
                assertTrue(node != TokenTrie.NO_NODE, e.getKey());
                int entry = trie.entryAt(node);
                assertEquals(e.getKey(), kb.name(group, entry));
                assertEquals(e.getValue(), kb.code(group, entry));
                assertEquals(0, trie.childCount(node), "nothing follows the eos of " + e.getKey());
            }
        }
    }

    /** Node for node, the trie is the prefix tree of the reference sequences and nothing else. */
    @Test
    void trieHoldsExactlyTheReferenceSequences() {
        for (String group : source.groups()) {
            Map<List<Integer>, TreeSet<Integer>> next = new HashMap<>();
            for (String name : source.names(group).keySet()) {
                int[] seq = referenceSequence(tokenizer.encode("} " + name, true));
                for (int p = 0; p < seq.length; p++) {
                    List<Integer> prefix = Arrays.stream(seq, 0, p).boxed().toList();
                    next.computeIfAbsent(prefix, x -> new TreeSet<>()).add(seq[p]);
                }
            }
            TokenTrie trie = kb.trie(group);
            assertEquals(next.size() + kb.entryCount(group), kb.nodeCount(group), group);
            int[] buf = new int[1 << 17];
            for (var e : next.entrySet()) {
                int[] prefix = e.getKey().stream().mapToInt(Integer::intValue).toArray();
                int n = trie.childTokens(trie.find(prefix, 0, prefix.length), buf, 0);
                assertArrayEquals(e.getValue().stream().mapToInt(Integer::intValue).toArray(), Arrays.copyOf(buf, n));
            }
        }
    }

    @Test
    void referenceIdsAgreeWithHuggingFace() throws IOException {
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(modelDir().resolve("tokenizer.json"),
                Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"))) {
            for (String group : source.groups()) {
                for (String name : source.names(group).keySet()) {
                    long[] expected = hf.encode("} " + name, true, false).getIds();
                    int[] ours = tokenizer.encode("} " + name, true);
                    assertArrayEquals(Arrays.stream(expected).mapToInt(Math::toIntExact).toArray(), ours, name);
                }
            }
        }
    }

    @Test
    void craftedKbKeepsItsQuirkyNames() {
        try (KnowledgeBase crafted = new KbLoader(modelDir()).tokenizer(tokenizer)
                .load(TestKbs.fixtures().resolve("kb/crafted_text_to_code.json"))) {
            assertEquals(8, crafted.groups().size());
            assertEquals("C0018873", crafted.code("Geographic Areas", "'s-Hertogenbosch"));
            assertEquals("C0008031", crafted.code("Disorders", "Pain , chest"));
            TokenTrie devices = crafted.trie("Devices");
            TrieCursor c = new TrieCursor(devices);
            for (int t : referenceSequence(tokenizer.encode("} Stent", true))) assertTrue(c.advance(t));
            assertEquals("Stent", crafted.name("Devices", c.entry()));
        }
    }
}
