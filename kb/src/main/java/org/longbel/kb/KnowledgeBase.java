package org.longbel.kb;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A knowledge base ready for constrained decoding: per semantic group, a token trie over the names and
 * the name/code tables, all read from a memory-mapped trie file (nothing is copied onto the heap).
 * Entries of a group are numbered 0..{@link #entryCount}-1; {@link TokenTrie#entryAt} returns these
 * numbers. Thread-safe for reading; {@link #close} unmaps the file (later queries then throw
 * {@link IllegalStateException}; a second close does nothing).
 *
 * <p>Get one with {@link #load} (a source KB or a built trie file, rebuilt when stale) or {@link #open}
 * (a built trie file as is). Build trie files with {@link KbBuilder}.
 */
public final class KnowledgeBase implements AutoCloseable {

    /** A name and its code. */
    public record Entry(String name, String code) {}

    /** One group's trie and tables. */
    record Group(String name, MappedTokenTrie trie, GroupTables tables) {}

    private final Path file;
    private final Arena arena;
    private final TrieFileMetadata metadata;
    private final Map<String, Group> groups;

    KnowledgeBase(Path file, Arena arena, TrieFileMetadata metadata, Map<String, Group> groups) {
        this.file = file;
        this.arena = arena;
        this.metadata = metadata;
        this.groups = groups;
    }

    /**
     * Opens a source KB ({@code text_to_code.json}, a TSV, a UMLS directory) or a built trie file,
     * tokenizing with the tokenizer in {@code tokenizerDir} (a model directory or its tokenizer.json).
     * A trie file built from another tokenizer or an older source is rebuilt in place; a source is
     * built into a temporary file. See {@link KbLoader} for the other options.
     */
    public static KnowledgeBase load(Path sourceOrTrie, Path tokenizerDir) {
        return new KbLoader(tokenizerDir).load(sourceOrTrie);
    }

    /** Maps a built trie file after checking its header and checksum; no staleness check. */
    public static KnowledgeBase open(Path trieFile) {
        return TrieFileReader.open(trieFile);
    }

    /** Group names, in the order of the source. */
    public List<String> groups() {
        return List.copyOf(groups.keySet());
    }

    /** Whether the knowledge base holds {@code group}. */
    public boolean hasGroup(String group) {
        return groups.containsKey(group);
    }

    /** The trie of {@code group}; an {@link UnknownGroupException} (listing the known groups) if absent. */
    public TokenTrie trie(String group) {
        return group(group).trie();
    }

    /** Number of entries (distinct names) of {@code group}. */
    public int entryCount(String group) {
        return group(group).tables().entries();
    }

    /** Number of trie nodes of {@code group}, the root included. */
    public int nodeCount(String group) {
        return group(group).trie().nodeCount();
    }

    /** Name of entry {@code entry} of {@code group} (as in the source, cleaned). */
    public String name(String group, int entry) {
        Group g = group(group);
        return g.tables().name(checkEntry(g, entry));
    }

    /** Code of entry {@code entry} of {@code group}. */
    public String code(String group, int entry) {
        Group g = group(group);
        return g.tables().code(checkEntry(g, entry));
    }

    /** Name and code of entry {@code entry} of {@code group}. */
    public Entry entry(String group, int entry) {
        Group g = group(group);
        checkEntry(g, entry);
        return new Entry(g.tables().name(entry), g.tables().code(entry));
    }

    /** The entry named exactly {@code name} in {@code group}, or -1. */
    public int entryOf(String group, String name) {
        return group(group).tables().entryOf(name);
    }

    /** The code of the exact name {@code name} in {@code group}, or null. */
    public String code(String group, String name) {
        GroupTables t = group(group).tables();
        int e = t.entryOf(name);
        return e < 0 ? null : t.code(e);
    }

    /** Names with code {@code code} in {@code group}, in entry order (empty if none). */
    public List<String> names(String group, String code) {
        GroupTables t = group(group).tables();
        List<String> out = new ArrayList<>();
        for (int e : t.entriesOf(code)) out.add(t.name(e));
        return out;
    }

    /** Total number of entries over all groups. */
    public long size() {
        long n = 0;
        for (Group g : groups.values()) n += g.tables().entries();
        return n;
    }

    /** The end-of-sequence token every trie sequence ends with. */
    public int eosId() {
        return metadata.eosId();
    }

    /** How the file was built: fingerprints, conflict counts, sections. */
    public TrieFileMetadata metadata() {
        return metadata;
    }

    /** The mapped trie file. */
    public Path file() {
        return file;
    }

    /** Unmaps the file; closing again does nothing. Not to be called while another thread still reads. */
    @Override
    public void close() {
        synchronized (arena) {
            if (arena.scope().isAlive()) arena.close();
        }
    }

    private Group group(String group) {
        Group g = groups.get(group);
        if (g == null) throw new UnknownGroupException(group, groups());
        return g;
    }

    private static int checkEntry(Group g, int entry) {
        int n = g.tables().entries();
        if (entry < 0 || entry >= n) {
            throw new IndexOutOfBoundsException("entry " + entry + " of group \"" + g.name() + "\" (it has " + n + " entries)");
        }
        return entry;
    }
}
