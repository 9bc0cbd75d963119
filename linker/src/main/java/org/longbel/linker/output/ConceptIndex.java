package org.longbel.linker.output;

import org.longbel.kb.KnowledgeBase;
import org.longbel.kb.TokenTrie;

/** What the output mapping needs from the knowledge base: per group, its trie and its concepts. */
public interface ConceptIndex {

    /** Whether the knowledge base has a trie for {@code group}. */
    boolean hasGroup(String group);

    /** The token trie of {@code group}; only called when {@link #hasGroup} is true. */
    TokenTrie trie(String group);

    /** The exact KB name of trie entry {@code entry} of {@code group}. */
    String name(String group, int entry);

    /** The code of trie entry {@code entry} of {@code group}. */
    String code(String group, int entry);

    /** The code of the exact name {@code name} in {@code group}, or null. */
    String codeOf(String group, String name);

    /** A knowledge base without groups (unconstrained decoding without a KB: every code is NO_CODE). */
    ConceptIndex EMPTY = new ConceptIndex() {
        @Override public boolean hasGroup(String group) { return false; }
        @Override public TokenTrie trie(String group) { throw new IllegalStateException("no knowledge base"); }
        @Override public String name(String group, int entry) { throw new IllegalStateException("no knowledge base"); }
        @Override public String code(String group, int entry) { throw new IllegalStateException("no knowledge base"); }
        @Override public String codeOf(String group, String name) { return null; }
    };

    /** A view of a loaded {@link KnowledgeBase}. */
    static ConceptIndex of(KnowledgeBase kb) {
        return new ConceptIndex() {
            @Override public boolean hasGroup(String group) { return kb.hasGroup(group); }
            @Override public TokenTrie trie(String group) { return kb.trie(group); }
            @Override public String name(String group, int entry) { return kb.name(group, entry); }
            @Override public String code(String group, int entry) { return kb.code(group, entry); }
            @Override public String codeOf(String group, String name) { return kb.code(group, name); }
        };
    }
}
