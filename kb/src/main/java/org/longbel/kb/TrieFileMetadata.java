package org.longbel.kb;

import java.util.List;
import java.util.Map;

/**
 * The JSON block of a trie file: how it was built (tokenizer and source fingerprints, for staleness
 * checks), counts, and where each group's arrays lie in the file.
 *
 * @param tokenizerFingerprint SHA-256 of the tokenizer files the sequences were built with
 * @param source               what was read, to tell whether the file is stale
 * @param conflicts            (group, name) pairs given a second, different code (the later one kept)
 * @param duplicates           (group, name, code) entries repeated
 * @param collisions           distinct names whose token sequences were identical (the later one kept)
 */
public record TrieFileMetadata(int formatVersion, String tokenizerFingerprint, int bosId, int eosId,
                               SourceInfo source, long conflicts, long duplicates, long collisions,
                               String builtAt, List<Group> groups) {

    /** One array of a group: absolute byte offset in the file and length in bytes. */
    public record Section(long offset, long bytes) {}

    /** A group's counts and sections (see {@link TrieFileFormat} for the section names). */
    public record Group(String name, int entries, int nodes, int codes, Map<String, Section> sections) {}

    /** A source file's identity when the trie was built. */
    public record SourceFile(String path, long size, long modifiedMillis, String sha256) {}

    /**
     * @param kind    {@code text_to_code.json}, {@code tsv} or {@code umls-rrf}
     * @param options reader options that change the content (UMLS filters), or empty
     */
    public record SourceInfo(String kind, String options, List<SourceFile> files) {}
}
