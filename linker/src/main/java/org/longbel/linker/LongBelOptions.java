package org.longbel.linker;

import java.nio.file.Path;

/**
 * How a {@link LongBel} handle is loaded.
 *
 * @param documentsInFlight documents the scheduler links at the same time (each document's mentions run in
 *                          order); 0: enough for one decode row per beam to fill the row budget
 * @param computeThreads    threads of the CPU backend's matrix work (the scheduler thread is one of them)
 * @param knowledgeBase     the KB ({@code text_to_code.json}, TSV, UMLS dir or built trie); null = the
 *                          checkpoint's {@code text_to_code.json}, or none if it has none
 * @param kvBlockSize       tokens per KV-cache block
 * @param kvCacheBytes      KV-cache budget of the handle (bytes), shared by every document in flight
 * @param kbCacheDir        where the trie built from a source KB is kept and reused while fresh
 *                          (null: build it into a temporary file at every load)
 * @param rowBudget         the most token rows one forward carries (decode rows plus prefill chunks)
 * @param kvReuse           reuse the cached KV blocks of a prompt's prefix (exact: same ids, same positions)
 */
public record LongBelOptions(int documentsInFlight, int computeThreads, Path knowledgeBase, int kvBlockSize,
                             long kvCacheBytes, Path kbCacheDir, int rowBudget, boolean kvReuse) {

    /** Rows per forward by default: enough for prefill chunks to run at full matrix speed on a CPU. */
    public static final int DEFAULT_ROW_BUDGET = 256;

    public LongBelOptions {
        if (documentsInFlight < 0) throw new IllegalArgumentException("documents in flight must be >= 0 (0: automatic), got " + documentsInFlight);
        if (computeThreads < 1) throw new IllegalArgumentException("compute threads must be >= 1, got " + computeThreads);
        if (kvBlockSize < 1) throw new IllegalArgumentException("KV block size must be >= 1, got " + kvBlockSize);
        if (kvCacheBytes < 1) throw new IllegalArgumentException("KV cache budget must be positive");
        if (rowBudget < 1) throw new IllegalArgumentException("row budget must be >= 1, got " + rowBudget);
    }

    /**
     * Documents in flight chosen from the row budget, every core for the matrix work, the checkpoint's KB with
     * its trie cached in {@code ~/.cache/longbel/kb}, 2 GiB of KV cache, 256 rows per forward, KV reuse on.
     */
    public static LongBelOptions defaults() {
        return new LongBelOptions(0, Runtime.getRuntime().availableProcessors(), null, 16, 2L << 30, CacheDirs.of("kb"),
                DEFAULT_ROW_BUDGET, true);
    }

    /** A copy linking {@code n} documents at a time (0: automatic, from the row budget and the beams). */
    public LongBelOptions withDocumentsInFlight(int n) {
        return new LongBelOptions(n, computeThreads, knowledgeBase, kvBlockSize, kvCacheBytes, kbCacheDir, rowBudget, kvReuse);
    }

    /** A copy with {@code n} CPU threads for the matrix work. */
    public LongBelOptions withComputeThreads(int n) {
        return new LongBelOptions(documentsInFlight, n, knowledgeBase, kvBlockSize, kvCacheBytes, kbCacheDir, rowBudget, kvReuse);
    }

    /** A copy with another knowledge base (null: the checkpoint's). */
    public LongBelOptions withKnowledgeBase(Path kb) {
        return new LongBelOptions(documentsInFlight, computeThreads, kb, kvBlockSize, kvCacheBytes, kbCacheDir, rowBudget, kvReuse);
    }

    /**
     * Another KV-cache budget for the handle. Mentions are admitted while their worst case fits, preempted and
     * redone when a step does not fit; a mention whose prompt and beams do not fit alone gets error records (the
     * others go on). The fp32 1B model needs 64 KiB per cached token.
     */
    public LongBelOptions withKvCacheBytes(long bytes) {
        return new LongBelOptions(documentsInFlight, computeThreads, knowledgeBase, kvBlockSize, bytes, kbCacheDir, rowBudget, kvReuse);
    }

    /** A copy with {@code tokens} tokens per KV block. */
    public LongBelOptions withKvBlockSize(int tokens) {
        return new LongBelOptions(documentsInFlight, computeThreads, knowledgeBase, tokens, kvCacheBytes, kbCacheDir, rowBudget, kvReuse);
    }

    /** A copy keeping built tries in {@code dir} (null: a temporary trie at every load). */
    public LongBelOptions withKbCacheDir(Path dir) {
        return new LongBelOptions(documentsInFlight, computeThreads, knowledgeBase, kvBlockSize, kvCacheBytes, dir, rowBudget, kvReuse);
    }

    /** A copy whose forwards carry at most {@code rows} token rows. */
    public LongBelOptions withRowBudget(int rows) {
        return new LongBelOptions(documentsInFlight, computeThreads, knowledgeBase, kvBlockSize, kvCacheBytes, kbCacheDir, rows, kvReuse);
    }

    /** A copy with KV reuse across prompts on or off (outputs are identical either way). */
    public LongBelOptions withKvReuse(boolean reuse) {
        return new LongBelOptions(documentsInFlight, computeThreads, knowledgeBase, kvBlockSize, kvCacheBytes, kbCacheDir, rowBudget, reuse);
    }
}
