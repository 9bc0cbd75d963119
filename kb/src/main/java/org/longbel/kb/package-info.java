/**
 * Knowledge bases for constrained decoding.
 *
 * <p>Reading: {@link org.longbel.kb.TextToCodeJsonReader} (a checkpoint's {@code text_to_code.json}),
 * {@link org.longbel.kb.TsvReader} and {@link org.longbel.kb.UmlsRrfReader} fill a
 * {@link org.longbel.kb.ConceptTable} with names cleaned by {@link org.longbel.kb.NameCleaner}.
 *
 * <p>Building: {@link org.longbel.kb.KbBuilder} turns every name into the reference's token sequence
 * ({@link org.longbel.kb.TrieSequences}: {@code "} " + name}, BOS dropped, EOS appended), builds one flat
 * breadth-first trie per group and writes everything to a checksummed trie file.
 *
 * <p>Using: {@link org.longbel.kb.KnowledgeBase} maps a trie file (no heap copy) and answers trie walks
 * ({@link org.longbel.kb.TokenTrie}, {@link org.longbel.kb.TrieCursor}) and name/code lookups;
 * {@link org.longbel.kb.KbLoader} accepts a source KB or a trie file and rebuilds stale files.
 */
package org.longbel.kb;
