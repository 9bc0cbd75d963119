package org.longbel.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The LongBEL constraint rules of reference §5, one by one. Ids: "}" = 92, eos = pad = 128009, "<+>" = 128256. */
class TrieConstraintTest {

    private static final int CLOSE = 92;
    private static final int EOS = 128009;
    private static final int SEP = 128256;
    private static final int[] PROMPT = {128000, 58, 11, 60, 90, 12, CLOSE};
    // names [10, 20], [10, 30, 40] and [50]
    private static final MapTrie TRIE = MapTrie.of(List.of(
            new int[] {CLOSE, 10, 20, EOS}, new int[] {CLOSE, 10, 30, 40, EOS}, new int[] {CLOSE, 50, EOS}));

    private static int[] allowed(Constraint c, int... generated) {
        int[] out = new int[128257];
        int n = c.allowed(PROMPT, generated, generated.length, out);
        int[] a = Arrays.copyOf(out, n);
        Arrays.sort(a);
        return a;
    }

    @Test
    void followsTheTrieFromTheClosingBraceOfThePrompt() {
        Constraint c = new TrieConstraint(TRIE, EOS, EOS, false, CLOSE, SEP);
        assertArrayEquals(new int[] {10, 50}, allowed(c));
        assertArrayEquals(new int[] {20, 30}, allowed(c, 10));
        assertArrayEquals(new int[] {40}, allowed(c, 10, 30));
        assertArrayEquals(new int[] {EOS}, allowed(c, 10, 20));
    }

    @Test
    void afterTheEndOnlyEosOrPad() {
        assertArrayEquals(new int[] {EOS}, allowed(new TrieConstraint(TRIE, EOS, EOS, false, CLOSE, SEP), 10, 20, EOS));
        assertArrayEquals(new int[] {EOS}, allowed(new TrieConstraint(TRIE, EOS, EOS, false, CLOSE, SEP), 10, 20, EOS, EOS));
        assertArrayEquals(new int[] {7, EOS}, allowed(new TrieConstraint(TRIE, EOS, 7, false, CLOSE, SEP), 50, EOS));
        assertArrayEquals(new int[] {7, EOS}, allowed(new TrieConstraint(TRIE, EOS, 7, false, CLOSE, SEP), 50, 7));
    }

    @Test
    void aMissingPrefixOrAChildlessNodeAllowsOnlyPadAndEos() {
        Constraint c = new TrieConstraint(TRIE, EOS, EOS, false, CLOSE, SEP);
        assertArrayEquals(new int[] {EOS}, allowed(c, 11));
        assertArrayEquals(new int[] {EOS}, allowed(c, 10, 11, 12));
        // a trie whose leaf has no eos child (not built by LongBEL, but the rule still applies)
        Constraint bare = new TrieConstraint(MapTrie.of(List.of(new int[] {CLOSE, 10})), EOS, EOS, false, CLOSE, SEP);
        assertArrayEquals(new int[] {EOS}, allowed(bare, 10));
    }

    @Test
    void lookupStartsAtTheLastClosingBraceOfTheWholeSequence() {
        Constraint c = new TrieConstraint(TRIE, EOS, EOS, false, CLOSE, SEP);
        // an (unusual) generated "}" restarts the key, as in the reference
        assertArrayEquals(new int[] {20, 30}, allowed(c, 50, CLOSE, 10));
        int[] out = new int[16];
        int n = c.allowed(new int[] {1, CLOSE, 10}, new int[0], 0, out); // prompt tokens after its "}"
        int[] got = Arrays.copyOf(out, n);
        Arrays.sort(got);
        assertArrayEquals(new int[] {20, 30}, got);
    }

    @Test
    void multipleAnswersOfferTheSeparatorWhereTheNodeOffersEos() {
        Constraint c = new TrieConstraint(TRIE, EOS, EOS, true, CLOSE, SEP);
        assertArrayEquals(new int[] {10, 50}, allowed(c));
        assertArrayEquals(new int[] {20, 30}, allowed(c, 10), "no eos at this node: no <+>");
        assertArrayEquals(new int[] {EOS, SEP}, allowed(c, 10, 20));
        assertArrayEquals(new int[] {10, 50}, allowed(c, 10, 20, SEP), "restart as after }");
        assertArrayEquals(new int[] {EOS, SEP}, allowed(c, 10, 20, SEP, 50));
        assertArrayEquals(new int[] {EOS}, allowed(c, 10, 20, EOS), "not after eos");
        assertArrayEquals(new int[] {EOS}, allowed(c, 11), "not where the prefix is missing");
    }
}
