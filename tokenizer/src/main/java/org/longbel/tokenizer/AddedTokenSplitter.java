package org.longbel.tokenizer;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts added tokens out of a text, as Hugging Face's {@code AddedVocabulary}: first the tokens with
 * {@code normalized=false}, then, in the stretches left, those with {@code normalized=true} (the
 * normalizer being the identity here). Matching is leftmost-longest and non-overlapping; the flags
 * {@code single_word}, {@code lstrip} and {@code rstrip} apply as in {@code AddedVocabulary::find_matches}.
 */
final class AddedTokenSplitter {

    /** Receives the pieces of the text in order: plain text ({@code token == null}) or an added token. */
    @FunctionalInterface
    interface Sink {
        void accept(int start, int end, AddedToken token);
    }

    private final Trie raw;
    private final Trie normalized;

    AddedTokenSplitter(List<AddedToken> tokens) {
        raw = new Trie();
        normalized = new Trie();
        for (AddedToken t : tokens) {
            if (t.content().isEmpty()) continue;
            (t.normalized() ? normalized : raw).add(t);
        }
    }

    void split(String text, Sink sink) {
        split(text, 0, text.length(), raw, (s, e, t) -> {
            if (t != null) sink.accept(s, e, t);
            else split(text, s, e, normalized, sink);
        });
    }

    private static void split(String text, int from, int to, Trie trie, Sink sink) {
        if (trie.isEmpty()) { sink.accept(from, to, null); return; }
        int emitted = from;   // end of the last piece handed out
        int searchFrom = from;
        while (searchFrom < to) {
            int start = -1;
            AddedToken match = null;
            for (int i = searchFrom; i < to; i++) {
                if (!trie.startsWith(text.charAt(i))) continue;
                match = trie.longestAt(text, i, to);
                if (match != null) { start = i; break; }
            }
            if (match == null) break;
            int stop = start + match.content().length();
            searchFrom = stop;
            if (match.singleWord()) {
                boolean wordBefore = start > from && CharClass.isWordChar(text.codePointBefore(start));
                boolean wordAfter = stop < to && CharClass.isWordChar(text.codePointAt(stop));
                if (wordBefore || wordAfter) continue;
            }
            if (match.lstrip()) {
                while (start > emitted && CharClass.isWhiteSpace(text.charAt(start - 1))) start--;
            }
            if (match.rstrip()) {
                while (stop < to && CharClass.isWhiteSpace(text.charAt(stop))) stop++;
                searchFrom = stop;
            }
            if (start > emitted) sink.accept(emitted, start, null);
            sink.accept(start, stop, match);
            emitted = stop;
        }
        if (emitted < to) sink.accept(emitted, to, null);
    }

    /** A character trie over the token contents. */
    private static final class Trie {
        private final Node root = new Node();
        private final BitSet firstChars = new BitSet(0x10000);

        boolean isEmpty() { return root.children.isEmpty(); }

        void add(AddedToken token) {
            Node n = root;
            for (int i = 0; i < token.content().length(); i++) n = n.children.computeIfAbsent(token.content().charAt(i), c -> new Node());
            n.token = token;
            firstChars.set(token.content().charAt(0));
        }

        boolean startsWith(char c) { return firstChars.get(c); }

        AddedToken longestAt(String text, int i, int to) {
            Node n = root;
            AddedToken best = null;
            for (int j = i; j < to; j++) {
                n = n.children.get(text.charAt(j));
                if (n == null) break;
                if (n.token != null) best = n.token;
            }
            return best;
        }
    }

    private static final class Node {
        final Map<Character, Node> children = new HashMap<>(4);
        AddedToken token;
    }
}
