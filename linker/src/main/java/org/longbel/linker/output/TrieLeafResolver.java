package org.longbel.linker.output;

import org.longbel.kb.TokenTrie;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Default name and code (reference spec §6): the generated tokens are walked down the group's trie
 * from <code>}</code> to a leaf, whose entry is the exact KB name and its code. With multiple answers the
 * generation is split at {@code <+>}; names are joined by {@code <+>}, codes deduplicated in
 * generation order and joined by {@code +}. Empty when some piece reaches no leaf.
 */
public final class TrieLeafResolver {
    private final ConceptIndex kb;
    private final int closeBrace;
    private final int eos;
    private final int pad;
    private final int plus;

    /** A resolver over the tries of {@code kb}, with the ids of <code>}</code>, eos, pad and {@code <+>}. */
    public TrieLeafResolver(ConceptIndex kb, int closeBrace, int eos, int pad, int plus) {
        this.kb = kb;
        this.closeBrace = closeBrace;
        this.eos = eos;
        this.pad = pad;
        this.plus = plus;
    }

    /** The KB name(s) and code(s) the generated {@code ids} end at, or empty when no leaf is reached. */
    public Optional<NameCode> resolve(String group, int[] ids, boolean multipleAnswers) {
        if (!kb.hasGroup(group)) return Optional.empty();
        TokenTrie trie = kb.trie(group);
        int end = ids.length;
        while (end > 0 && (ids[end - 1] == eos || ids[end - 1] == pad)) end--;
        if (end == ids.length) return Optional.empty(); // stopped at max length: no leaf reached
        List<String> names = new ArrayList<>();
        Set<String> codes = new LinkedHashSet<>();
        int from = 0;
        for (int i = 0; i <= end; i++) {
            if (i < end && !(multipleAnswers && ids[i] == plus)) continue;
            int entry = entry(trie, ids, from, i);
            if (entry < 0) return Optional.empty();
            names.add(kb.name(group, entry));
            codes.add(kb.code(group, entry));
            from = i + 1;
        }
        return Optional.of(new NameCode(String.join("<+>", names), String.join("+", codes)));
    }

    private int entry(TokenTrie trie, int[] ids, int from, int to) {
        int node = trie.child(trie.root(), closeBrace);
        for (int i = from; i < to && node != TokenTrie.NO_NODE; i++) node = trie.child(node, ids[i]);
        if (node == TokenTrie.NO_NODE) return -1;
        node = trie.child(node, eos);
        return node == TokenTrie.NO_NODE ? -1 : trie.entryAt(node);
    }
}
