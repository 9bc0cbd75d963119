package org.longbel.kb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.longbel.tokenizer.Tokenizer;

/**
 * Opens a knowledge base from either a source KB or a built trie file, building or rebuilding the
 * trie file when needed. A trie file is stale when it was built with a different tokenizer (the
 * fingerprint of tokenizer.json and tokenizer_config.json differs), from other reader options, or
 * from a source file whose content changed since (size and modification time, else SHA-256).
 */
public final class KbLoader {
    private final Path tokenizerDir;
    private NameEncoder encoder;
    private String tokenizerFingerprint;
    private Path cacheFile;
    private int threads = Runtime.getRuntime().availableProcessors();
    private Consumer<String> events = message -> { };

    /** Tokenizes with the tokenizer of {@code tokenizerDir} (a model directory or its tokenizer.json), loaded only if a build is needed. */
    public KbLoader(Path tokenizerDir) {
        this.tokenizerDir = tokenizerDir;
    }

    /** Tokenizes with {@code encoder}, identified by {@code tokenizerFingerprint} in trie files (tests, custom tokenizers). */
    public KbLoader(NameEncoder encoder, String tokenizerFingerprint) {
        this.tokenizerDir = null;
        this.encoder = encoder;
        this.tokenizerFingerprint = tokenizerFingerprint;
    }

    /** Reuses an already loaded tokenizer (it must be the one of the tokenizer directory). */
    public KbLoader tokenizer(Tokenizer tokenizer) {
        this.encoder = NameEncoder.of(tokenizer);
        return this;
    }

    /**
     * Where a source KB's trie file is kept: reused while fresh, (re)built otherwise. Without one, a
     * source is built into a temporary file that is deleted once mapped.
     */
    public KbLoader cacheFile(Path cacheFile) {
        this.cacheFile = cacheFile;
        return this;
    }

    /** Tokenizer threads for a build (default: available processors). */
    public KbLoader threads(int threads) {
        this.threads = Math.max(1, threads);
        return this;
    }

    /** Receives one line per build or rebuild, saying why. */
    public KbLoader onEvent(Consumer<String> events) {
        this.events = events;
        return this;
    }

    /** Opens {@code sourceOrTrie}: a trie file (rebuilt in place when stale) or a source KB. */
    public KnowledgeBase load(Path sourceOrTrie) {
        if (TrieFileReader.isTrieFile(sourceOrTrie)) return loadTrie(sourceOrTrie);
        KbSource source = KbSource.detect(sourceOrTrie);
        if (cacheFile == null) return buildTemporary(source);
        if (TrieFileReader.isTrieFile(cacheFile)) {
            try {
                Optional<String> stale = staleReason(TrieFileReader.readMetadata(cacheFile), source);
                if (stale.isEmpty()) return KnowledgeBase.open(cacheFile);
                events.accept("rebuilding " + cacheFile + ": " + stale.get());
            } catch (KbException damaged) {
                events.accept("rebuilding " + cacheFile + ": " + damaged.getMessage());
            }
        } else {
            events.accept("building " + cacheFile + " from " + sourceOrTrie);
        }
        build(source, cacheFile);
        return KnowledgeBase.open(cacheFile);
    }

    /**
     * Builds the trie file {@code out} from {@code source}. The source is fingerprinted before it is
     * read, so a file changed meanwhile makes the result stale rather than wrongly fresh.
     */
    public KbBuilder.Report build(KbSource source, Path out) {
        TrieFileMetadata.SourceInfo fingerprint = source.fingerprint();
        ConceptTable table = source.read();
        return new KbBuilder(encoder(), fingerprint(), threads).build(table, fingerprint, out);
    }

    /**
     * Why the trie file described by {@code meta} is stale, or empty when it is fresh; {@code current},
     * when not null, is the source it should have been built from.
     */
    private Optional<String> staleReason(TrieFileMetadata meta, KbSource current) {
        if (!fingerprint().equals(meta.tokenizerFingerprint())) return Optional.of("it was built with another tokenizer");
        TrieFileMetadata.SourceInfo recorded = meta.source();
        if (current != null) {
            if (!current.kind().equals(recorded.kind()) || !current.options().equals(recorded.options())) {
                return Optional.of("it was built from another source or with other options");
            }
            for (int i = 0; i < current.files().size(); i++) {
                String now = current.files().get(i).toAbsolutePath().normalize().toString();
                if (i >= recorded.files().size() || !recorded.files().get(i).path().equals(now)) {
                    return Optional.of("it was built from another source file than " + now);
                }
            }
        }
        for (TrieFileMetadata.SourceFile f : recorded.files()) {
            if (!Fingerprints.unchanged(f)) return Optional.of("source " + f.path() + " changed (or is gone) since it was built");
        }
        return Optional.empty();
    }

    private KnowledgeBase loadTrie(Path trie) {
        TrieFileMetadata meta = TrieFileReader.readMetadata(trie);
        Optional<String> stale = staleReason(meta, null);
        if (stale.isEmpty()) return KnowledgeBase.open(trie);
        boolean sourcesPresent = meta.source().files().stream().allMatch(f -> Files.isRegularFile(Path.of(f.path())));
        if (!sourcesPresent) {
            if (!fingerprint().equals(meta.tokenizerFingerprint())) {
                throw new KbException("trie file " + trie + " was built with another tokenizer and its source "
                        + meta.source().files().stream().map(TrieFileMetadata.SourceFile::path).toList()
                        + " is gone: rebuild it with `longbel kb build`");
            }
            events.accept("using " + trie + " as is: its source is gone");
            return KnowledgeBase.open(trie);
        }
        events.accept("rebuilding " + trie + ": " + stale.get());
        build(KbSource.of(meta.source(), trie), trie);
        return KnowledgeBase.open(trie);
    }

    private KnowledgeBase buildTemporary(KbSource source) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("longbel-kb-", ".trie");
            build(source, tmp);
            return KnowledgeBase.open(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary trie file: " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);   // the mapping stays valid after the file is removed
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }

    private String fingerprint() {
        if (tokenizerFingerprint == null) tokenizerFingerprint = Fingerprints.tokenizer(tokenizerDir);
        return tokenizerFingerprint;
    }

    private NameEncoder encoder() {
        if (encoder == null) {
            encoder = NameEncoder.of(Files.isDirectory(tokenizerDir) ? Tokenizer.fromDirectory(tokenizerDir)
                    : Tokenizer.fromFile(tokenizerDir));
        }
        return encoder;
    }
}
