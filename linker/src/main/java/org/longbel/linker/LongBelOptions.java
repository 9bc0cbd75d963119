package org.longbel.linker;

import java.nio.file.Path;

/**
 * How a {@link LongBel} handle is loaded.
 *
 * @param pageThreads    pages linked at the same time (each page's mentions run in order)
 * @param computeThreads threads of the CPU backend's matrix work
 * @param knowledgeBase  the KB ({@code text_to_code.json}, TSV, UMLS dir or built trie); null = the
 *                       checkpoint's {@code text_to_code.json}, or none if it has none
 * @param kvBlockSize    tokens per KV-cache block
 * @param kvCacheBytes   KV-cache budget of one page in flight (bytes)
 * @param kbCacheDir     where the trie built from a source KB is kept and reused while fresh
 *                       (null: build it into a temporary file at every load)
 */
public record LongBelOptions(int pageThreads, int computeThreads, Path knowledgeBase, int kvBlockSize,
                             long kvCacheBytes, Path kbCacheDir) {

    public LongBelOptions {
        if (pageThreads < 1) throw new IllegalArgumentException("page threads must be >= 1, got " + pageThreads);
        if (computeThreads < 1) throw new IllegalArgumentException("compute threads must be >= 1, got " + computeThreads);
        if (kvBlockSize < 1) throw new IllegalArgumentException("KV block size must be >= 1, got " + kvBlockSize);
        if (kvCacheBytes < 1) throw new IllegalArgumentException("KV cache budget must be positive");
    }

    /**
     * One page at a time, every core for the matrix work, the checkpoint's KB with its trie cached in
     * {@code ~/.cache/longbel/kb}, 2 GiB of KV cache.
     */
    public static LongBelOptions defaults() {
        return new LongBelOptions(1, Runtime.getRuntime().availableProcessors(), null, 16, 2L << 30, CacheDirs.of("kb"));
    }

    /** A copy linking {@code n} pages at a time. */
    public LongBelOptions withPageThreads(int n) {
        return new LongBelOptions(n, computeThreads, knowledgeBase, kvBlockSize, kvCacheBytes, kbCacheDir);
    }

    /** A copy with {@code n} CPU threads for the matrix work. */
    public LongBelOptions withComputeThreads(int n) {
        return new LongBelOptions(pageThreads, n, knowledgeBase, kvBlockSize, kvCacheBytes, kbCacheDir);
    }

    /** A copy with another knowledge base (null: the checkpoint's). */
    public LongBelOptions withKnowledgeBase(Path kb) {
        return new LongBelOptions(pageThreads, computeThreads, kb, kvBlockSize, kvCacheBytes, kbCacheDir);
    }

    /**
     * Another KV-cache budget per page in flight. A mention whose prompt and beams do not fit gets an
     * error record (the others go on); the fp32 1B model needs 64 KiB per cached token.
     */
    public LongBelOptions withKvCacheBytes(long bytes) {
        return new LongBelOptions(pageThreads, computeThreads, knowledgeBase, kvBlockSize, bytes, kbCacheDir);
    }

    /** A copy keeping built tries in {@code dir} (null: a temporary trie at every load). */
    public LongBelOptions withKbCacheDir(Path dir) {
        return new LongBelOptions(pageThreads, computeThreads, knowledgeBase, kvBlockSize, kvCacheBytes, dir);
    }
}
