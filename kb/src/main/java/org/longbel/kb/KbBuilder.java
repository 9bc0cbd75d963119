package org.longbel.kb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a trie file from a {@link ConceptTable}: per group, tokenize every name into its trie sequence
 * ({@link TrieSequences}), build the flat trie ({@link TrieBuilder}) and the name/code tables, and write
 * them all with {@link TrieFileWriter}.
 */
public final class KbBuilder {

    /** What a build produced and how long each phase took. */
    public record Report(Path file, int groups, long entries, long nodes, long tokens, long conflicts, long duplicates,
                         List<ConceptTable.Conflict> conflictExamples, long collisions, long fileBytes,
                         long tokenizeMillis, long trieMillis, long writeMillis) {}

    private final NameEncoder encoder;
    private final String tokenizerFingerprint;
    private final int threads;

    /**
     * @param tokenizerFingerprint identifies the tokenizer files (see {@link Fingerprints#tokenizer}); stored for staleness checks
     * @param threads              tokenizer threads (a private pool; 1 tokenizes on the calling thread)
     */
    public KbBuilder(NameEncoder encoder, String tokenizerFingerprint, int threads) {
        this.encoder = encoder;
        this.tokenizerFingerprint = tokenizerFingerprint;
        this.threads = Math.max(1, threads);
    }

    /** Builds {@code out} from {@code table}; {@code source} is recorded to detect a stale file later. */
    public Report build(ConceptTable table, TrieFileMetadata.SourceInfo source, Path out) {
        if (table.size() == 0) throw new KbException("the knowledge base " + describe(source) + " holds no concept names");
        List<GroupImage> images = new ArrayList<>();
        long tokenizeNanos = 0, trieNanos = 0, tokens = 0, nodes = 0, collisions = 0, entries = 0;
        for (String group : table.groups()) {
            Map<String, String> names = table.names(group);
            List<String> nameList = new ArrayList<>(names.keySet());
            List<String> codeList = new ArrayList<>(names.values());
            long t0 = System.nanoTime();
            TrieSequences seqs = TrieSequences.encode(nameList, encoder, threads);
            long t1 = System.nanoTime();
            TrieArrays trie = TrieBuilder.build(seqs);
            images.add(new GroupImage(group, trie, nameList, codeList));
            long t2 = System.nanoTime();
            tokenizeNanos += t1 - t0;
            trieNanos += t2 - t1;
            tokens += seqs.totalTokens();
            nodes += trie.nodeCount();
            collisions += trie.collisions();
            entries += trie.entryCount();
        }
        long t3 = System.nanoTime();
        TrieFileMetadata meta = new TrieFileMetadata(TrieFileFormat.VERSION, tokenizerFingerprint, encoder.bosId(),
                encoder.eosId(), source, table.conflicts(), table.duplicates(), collisions, Instant.now().toString(), List.of());
        TrieFileWriter.write(out, images, meta);
        long writeNanos = System.nanoTime() - t3;
        long bytes;
        try {
            bytes = Files.size(out);
        } catch (java.io.IOException e) {
            bytes = -1;
        }
        return new Report(out, images.size(), entries, nodes, tokens, table.conflicts(), table.duplicates(),
                table.conflictExamples(), collisions,
                bytes, tokenizeNanos / 1_000_000, trieNanos / 1_000_000, writeNanos / 1_000_000);
    }

    private static String describe(TrieFileMetadata.SourceInfo source) {
        return source == null || source.files().isEmpty() ? "source" : source.files().getFirst().path();
    }
}
