package org.longbel.kb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeBaseTest {
    @TempDir Path dir;

    private KnowledgeBase small() {
        Path f = TestKbs.write(dir, "kb.json", """
                {"Disorders": {"Chest pain": "C0008031", "Chest": "C0817096", "Pain , chest": "C0008031", "Angina [pectoris]": "C0002962"},
                 "Anatomy": {"Chest": "C0817096", "Heart": "C0018787"}}""");
        return TestKbs.build(dir, f);
    }

    @Test
    void everyNameIsAPathEndingInItsEntry() {
        try (KnowledgeBase kb = small()) {
            assertEquals(List.of("Disorders", "Anatomy"), kb.groups());
            assertEquals(6, kb.size());
            for (String group : kb.groups()) {
                TokenTrie trie = kb.trie(group);
                for (int e = 0; e < kb.entryCount(group); e++) {
                    String name = kb.name(group, e);
                    int[] seq = TrieSequences.sequence(TestKbs.CODE_POINTS, name);
                    assertEquals('}', seq[0]);
                    assertEquals(TestKbs.EOS, seq[seq.length - 1]);
                    int node = trie.find(seq, 0, seq.length);
                    assertEquals(e, trie.entryAt(node), name);
                    assertEquals(-1, trie.entryAt(trie.find(seq, 0, seq.length - 1)), "no entry before the eos");
                }
            }
            assertEquals("Angina (pectoris)", kb.name("Disorders", kb.entryOf("Disorders", "Angina (pectoris)")));
        }
    }

    @Test
    void emptyGroupIsKeptWithATrieThatAllowsNothing() {
        Path f = TestKbs.write(dir, "kb.json", "{\"Empty\": {}, \"Anatomy\": {\"Heart\": \"C0018787\"}}");
        try (KnowledgeBase kb = TestKbs.build(dir, f)) {
            assertEquals(List.of("Empty", "Anatomy"), kb.groups());
            assertEquals(0, kb.entryCount("Empty"));
            TrieCursor c = new TrieCursor(kb.trie("Empty"));
            assertEquals(0, c.allowedCount());
            assertFalse(c.advance('}'));
        }
        Path none = TestKbs.write(dir, "none.json", "{\"Empty\": {}}");
        KbException e = assertThrows(KbException.class, () -> TestKbs.build(dir, none));
        assertTrue(e.getMessage().contains("holds no concept names"), e.getMessage());
    }

    @Test
    void lookupsByNameAndCode() {
        try (KnowledgeBase kb = small()) {
            assertEquals("C0008031", kb.code("Disorders", "Pain , chest"));
            assertEquals("C0817096", kb.code("Anatomy", "Chest"));
            assertNull(kb.code("Anatomy", "Chest pain"));
            assertNull(kb.code("Disorders", "Angina [pectoris]"), "lookups are exact: names are stored cleaned");
            assertEquals(new TreeSet<>(List.of("Chest pain", "Pain , chest")), new TreeSet<>(kb.names("Disorders", "C0008031")));
            assertEquals(List.of(), kb.names("Disorders", "C0018787"));
            int e = kb.entryOf("Anatomy", "Heart");
            assertEquals(new KnowledgeBase.Entry("Heart", "C0018787"), kb.entry("Anatomy", e));
            assertThrows(IndexOutOfBoundsException.class, () -> kb.name("Anatomy", 2));
        }
    }

    @Test
    void unknownGroupListsKnownGroups() {
        try (KnowledgeBase kb = small()) {
            UnknownGroupException e = assertThrows(UnknownGroupException.class, () -> kb.trie("Devices"));
            assertEquals("unknown semantic group \"Devices\"; the knowledge base has 2 groups: \"Disorders\", \"Anatomy\"", e.getMessage());
            assertFalse(kb.hasGroup("Devices"));
            assertTrue(kb.hasGroup("Anatomy"));
        }
    }

    /** Random names over a tiny alphabet (many shared prefixes); checks every prefix against a brute-force set. */
    @Test
    void childrenMatchBruteForceForEveryPrefix() {
        Random rnd = new Random(7);
        StringBuilder json = new StringBuilder("{\"G\": {");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            StringBuilder n = new StringBuilder();
            int len = 1 + rnd.nextInt(6);
            for (int k = 0; k < len; k++) n.append("abc d".charAt(rnd.nextInt(5)));
            if (n.toString().isBlank()) continue;
            names.add(n.toString());
            json.append(i == 0 ? "" : ",").append('"').append(n).append("\": \"C").append(i).append('"');
        }
        Path f = TestKbs.write(dir, "r.json", json.append("}}").toString().replace("{,", "{"));
        Map<List<Integer>, TreeSet<Integer>> next = new HashMap<>();
        Map<String, String> codes = TextToCodeJsonReader.read(f).names("G");
        for (String name : codes.keySet()) {
            int[] seq = TrieSequences.sequence(TestKbs.CODE_POINTS, name);
            for (int p = 0; p < seq.length; p++) {
                List<Integer> prefix = new ArrayList<>();
                for (int k = 0; k < p; k++) prefix.add(seq[k]);
                next.computeIfAbsent(prefix, x -> new TreeSet<>()).add(seq[p]);
            }
        }
        try (KnowledgeBase kb = TestKbs.build(dir, f)) {
            TokenTrie trie = kb.trie("G");
            assertEquals(codes.size(), kb.entryCount("G"));
            int[] buf = new int[64];
            for (var e : next.entrySet()) {
                int[] prefix = e.getKey().stream().mapToInt(Integer::intValue).toArray();
                int node = trie.find(prefix, 0, prefix.length);
                int[] expected = e.getValue().stream().mapToInt(Integer::intValue).toArray();
                assertEquals(expected.length, trie.childCount(node));
                int n = trie.childTokens(node, buf, 0);
                assertArrayEquals(expected, java.util.Arrays.copyOf(buf, n));
                for (int i = 0; i < n; i++) {
                    assertEquals(expected[i], trie.childToken(node, i));
                    assertTrue(trie.child(node, expected[i]) > node);
                }
                assertEquals(TokenTrie.NO_NODE, trie.child(node, 'z'));
            }
            // nodes = distinct non-empty prefixes + root
            assertEquals(next.size() + codes.size(), kb.nodeCount("G"));
            for (var e : codes.entrySet()) {
                int[] seq = TrieSequences.sequence(TestKbs.CODE_POINTS, e.getKey());
                int entry = trie.entryAt(trie.find(seq, 0, seq.length));
                assertEquals(e.getKey(), kb.name("G", entry));
                assertEquals(e.getValue(), kb.code("G", entry));
                assertEquals(e.getValue(), kb.code("G", e.getKey()));
            }
        }
    }

    @Test
    void cursorWalksWithoutLeavingTheTrieSilently() {
        try (KnowledgeBase kb = small()) {
            TrieCursor c = new TrieCursor(kb.trie("Anatomy"));
            int[] buf = new int[8];
            assertEquals(1, c.allowed(buf));
            assertEquals('}', buf[0]);
            assertTrue(c.advance('}'));
            assertTrue(c.advance(' '));
            assertEquals(2, c.allowed(buf));
            assertArrayEquals(new int[] {'C', 'H'}, java.util.Arrays.copyOf(buf, 2));
            for (char ch : "Heart".toCharArray()) assertTrue(c.advance(ch));
            assertEquals(-1, c.entry());
            assertEquals(1, c.allowedCount());
            assertTrue(c.advance(TestKbs.EOS));
            assertEquals("Heart", kb.name("Anatomy", c.entry()));
            assertEquals(0, c.allowedCount());
            assertFalse(c.advance('x'));
            assertFalse(c.onTrie());
            assertEquals(0, c.allowed(buf));
            int[] seq = TrieSequences.sequence(TestKbs.CODE_POINTS, "Chest");
            assertTrue(c.resetTo(seq, 0, 4).onTrie());
            assertEquals(1, c.allowedCount());
            assertTrue(c.reset().onTrie());
        }
    }

    @Test
    void sequenceEndingInEosGetsNoSecondEos() {
        NameEncoder withEos = new NameEncoder() {
            @Override public int[] encodeWithSpecialTokens(String text) {
                int[] ids = TestKbs.CODE_POINTS.encodeWithSpecialTokens(text);
                int[] out = java.util.Arrays.copyOf(ids, ids.length + 1);
                out[ids.length] = TestKbs.EOS;
                return out;
            }
            @Override public int bosId() { return TestKbs.BOS; }
            @Override public int eosId() { return TestKbs.EOS; }
        };
        assertArrayEquals(new int[] {'}', ' ', 'a', TestKbs.EOS}, TrieSequences.sequence(withEos, "a"));
        assertArrayEquals(new int[] {'}', ' ', 'a', TestKbs.EOS}, TrieSequences.sequence(TestKbs.CODE_POINTS, "a"));
    }
}
