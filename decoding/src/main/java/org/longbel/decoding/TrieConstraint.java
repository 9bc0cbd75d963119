package org.longbel.decoding;

import org.longbel.kb.TokenTrie;

/**
 * LongBEL's "semantic-guided" constraint (reference §5). The trie holds, per name,
 * <code>tokenize("} " + name)</code> without BOS and with eos appended, so every key starts with <code>}</code>.
 * <ul>
 *   <li>The key is the sequence from its last <code>}</code> token (the prompt ends with one); with
 *       multiple answers, a later {@code <+>} restarts the key as if <code>}</code> had just been emitted.</li>
 *   <li>A sequence that already ends with eos or pad may only take eos or pad.</li>
 *   <li>A key missing from the trie, or a node without children, allows only pad and eos.</li>
 *   <li>With multiple answers, {@code <+>} is allowed exactly where the node itself offers eos.</li>
 * </ul>
 */
public final class TrieConstraint implements Constraint {

    private final TokenTrie trie;
    private final int eosId;
    private final int padId;
    private final boolean multipleAnswers;
    private final int closeBrace;
    private final int separator;

    /**
     * @param trie            the trie of the mention's semantic group
     * @param eosId           the search's eos ({@link SpecialIds#eos()}); every trie key ends with it
     * @param padId           the search's pad ({@link SpecialIds#pad()})
     * @param multipleAnswers whether {@code <+>} may join several names
     * @param closeBraceId    the checkpoint's id of <code>}</code>, the first token of every trie key
     * @param separatorId     the checkpoint's id of {@code <+>} (only used with multiple answers)
     */
    public TrieConstraint(TokenTrie trie, int eosId, int padId, boolean multipleAnswers,
                          int closeBraceId, int separatorId) {
        if (trie == null) throw new IllegalArgumentException("trie is null");
        if (closeBraceId < 0) throw new IllegalArgumentException("the vocabulary has no '}' token; the trie keys start with it");
        if (multipleAnswers && separatorId < 0) {
            throw new IllegalArgumentException("the vocabulary has no '<+>' token; multiple answers need it");
        }
        this.trie = trie;
        this.eosId = eosId;
        this.padId = padId;
        this.multipleAnswers = multipleAnswers;
        this.closeBrace = closeBraceId;
        this.separator = separatorId;
    }

    @Override
    public int allowed(int[] prompt, int[] generated, int generatedLength, int[] out) {
        int last = generatedLength > 0 ? generated[generatedLength - 1]
                : prompt.length > 0 ? prompt[prompt.length - 1] : -1;
        if (generatedLength > 0 && (last == eosId || last == padId)) return endOnly(out);

        int node = keyNode(prompt, generated, generatedLength);
        if (node == TokenTrie.NO_NODE) return endOnly(out);
        int n = trie.childCount(node);
        if (n == 0) return endOnly(out);
        if (out.length < n + 1) {
            throw new IllegalArgumentException("allowed-token buffer holds " + out.length
                    + " ids but the trie node has " + n + " children");
        }
        boolean offersEos = false;
        for (int i = 0; i < n; i++) {
            int token = trie.childToken(node, i);
            out[i] = token;
            if (token == eosId) offersEos = true;
        }
        if (multipleAnswers && offersEos && trie.child(node, separator) == TokenTrie.NO_NODE) {
            out[n++] = separator;
        }
        return n;
    }

    /** The trie node of the current key, or {@link TokenTrie#NO_NODE}. */
    private int keyNode(int[] prompt, int[] generated, int generatedLength) {
        int afterBrace = trie.child(trie.root(), closeBrace);
        int start = lastKeyStart(generated, generatedLength);
        if (start >= 0) {
            // key = "}" followed by generated[start + 1, generatedLength) (a "<+>" counts as "}")
            return walk(afterBrace, generated, start + 1, generatedLength);
        }
        int p = lastKeyStart(prompt, prompt.length);
        if (p < 0) return TokenTrie.NO_NODE;
        // the prompt normally ends with "}", so this walks only the generated tokens
        return walk(walk(afterBrace, prompt, p + 1, prompt.length), generated, 0, generatedLength);
    }

    /** The node reached from {@code node} along {@code tokens[from, to)}, or {@link TokenTrie#NO_NODE}. */
    private int walk(int node, int[] tokens, int from, int to) {
        for (int i = from; i < to && node != TokenTrie.NO_NODE; i++) node = trie.child(node, tokens[i]);
        return node;
    }

    /** Index of the last <code>}</code> (or, with multiple answers, {@code <+>}), or -1. */
    private int lastKeyStart(int[] tokens, int length) {
        for (int i = length - 1; i >= 0; i--) {
            int t = tokens[i];
            if (t == closeBrace || (multipleAnswers && t == separator)) return i;
        }
        return -1;
    }

    private int endOnly(int[] out) {
        out[0] = padId;
        if (eosId == padId) return 1;
        out[1] = eosId;
        return 2;
    }
}
