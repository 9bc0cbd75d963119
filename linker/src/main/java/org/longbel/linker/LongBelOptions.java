package org.longbel.linker;

import java.nio.file.Path;
import org.longbel.core.backend.Backend;
import org.longbel.core.backend.CpuBackend;
import org.longbel.core.backend.Device;
import org.longbel.core.backend.Precision;

/**
 * How a {@link LongBel} handle is loaded.
 *
 * @param documentsInFlight documents the scheduler links at the same time (each document's mentions run in
 *                          order); 0: enough for one decode row per beam to fill the row budget
 * @param computeThreads    threads of the CPU backend's matrix work (the scheduler thread is one of them)
 * @param knowledgeBase     the KB ({@code text_to_code.json}, TSV, UMLS dir or built trie); null = the
 *                          checkpoint's {@code text_to_code.json}, or none if it has none
 * @param kvBlockSize       tokens per KV-cache block
 * @param kvCacheBytes      KV-cache budget of the handle (bytes), shared by every document in flight; 0: automatic
 *                          ({@value #CPU_KV_CACHE_BYTES} bytes on the CPU, most of the free memory on a GPU)
 * @param kbCacheDir        where the trie built from a source KB is kept and reused while fresh
 *                          (null: build it into a temporary file at every load)
 * @param rowBudget         the most token rows one forward carries (decode rows plus prefill chunks); 0: automatic
 *                          ({@value #CPU_ROW_BUDGET} on the CPU, {@value #GPU_ROW_BUDGET} on a GPU)
 * @param kvReuse           reuse the cached KV blocks of a prompt's prefix (exact: same ids, same positions)
 * @param device            cpu, cuda, or auto (CUDA when usable, said in the log)
 * @param precision         activations entering a GPU's matrix products (fp32 or bf16; the CPU computes fp32)
 */
public record LongBelOptions(int documentsInFlight, int computeThreads, Path knowledgeBase, int kvBlockSize,
                             long kvCacheBytes, Path kbCacheDir, int rowBudget, boolean kvReuse, Device device,
                             Precision precision) {

    /** Rows per forward on the CPU by default: enough for prefill chunks to run at full matrix speed. */
    public static final int CPU_ROW_BUDGET = 256;
    /** Rows per forward on a GPU by default: hundreds of decode rows and long prefill chunks per tick. */
    public static final int GPU_ROW_BUDGET = 4096;
    /** KV-cache budget on the CPU by default (2 GiB). */
    public static final long CPU_KV_CACHE_BYTES = 2L << 30;

    public LongBelOptions {
        if (documentsInFlight < 0) throw new IllegalArgumentException("documents in flight must be >= 0 (0: automatic), got " + documentsInFlight);
        if (computeThreads < 1) throw new IllegalArgumentException("compute threads must be >= 1, got " + computeThreads);
        if (kvBlockSize < 1) throw new IllegalArgumentException("KV block size must be >= 1, got " + kvBlockSize);
        if (kvCacheBytes < 0) throw new IllegalArgumentException("KV cache budget must be >= 0 (0: automatic), got " + kvCacheBytes);
        if (rowBudget < 0) throw new IllegalArgumentException("row budget must be >= 0 (0: automatic), got " + rowBudget);
        if (device == null || precision == null) throw new IllegalArgumentException("device and precision are required");
    }

    /**
     * Documents in flight chosen from the row budget, every core for the matrix work, the checkpoint's KB with
     * its trie cached in {@code ~/.cache/longbel/kb}, automatic KV budget and rows per forward, KV reuse on, the
     * CPU in fp32.
     */
    public static LongBelOptions defaults() {
        return new LongBelOptions(0, Runtime.getRuntime().availableProcessors(), null, 16, 0, CacheDirs.of("kb"),
                0, true, Device.CPU, Precision.FP32);
    }

    /** A copy linking {@code n} documents at a time (0: automatic, from the row budget and the beams). */
    public LongBelOptions withDocumentsInFlight(int n) {
        return new LongBelOptions(n, computeThreads, knowledgeBase, kvBlockSize, kvCacheBytes, kbCacheDir, rowBudget, kvReuse, device, precision);
    }

    /** A copy with {@code n} CPU threads for the matrix work. */
    public LongBelOptions withComputeThreads(int n) {
        return new LongBelOptions(documentsInFlight, n, knowledgeBase, kvBlockSize, kvCacheBytes, kbCacheDir, rowBudget, kvReuse, device, precision);
    }

    /** A copy with another knowledge base (null: the checkpoint's). */
    public LongBelOptions withKnowledgeBase(Path kb) {
        return new LongBelOptions(documentsInFlight, computeThreads, kb, kvBlockSize, kvCacheBytes, kbCacheDir, rowBudget, kvReuse, device, precision);
    }

    /**
     * Another KV-cache budget for the handle (0: automatic). Mentions are admitted while their worst case fits,
     * preempted and redone when a step does not fit; a mention whose prompt and beams do not fit alone gets error
     * records (the others go on). The fp32 1B model needs 64 KiB per cached token.
     */
    public LongBelOptions withKvCacheBytes(long bytes) {
        return new LongBelOptions(documentsInFlight, computeThreads, knowledgeBase, kvBlockSize, bytes, kbCacheDir, rowBudget, kvReuse, device, precision);
    }

    /** A copy with {@code tokens} tokens per KV block. */
    public LongBelOptions withKvBlockSize(int tokens) {
        return new LongBelOptions(documentsInFlight, computeThreads, knowledgeBase, tokens, kvCacheBytes, kbCacheDir, rowBudget, kvReuse, device, precision);
    }

    /** A copy keeping built tries in {@code dir} (null: a temporary trie at every load). */
    public LongBelOptions withKbCacheDir(Path dir) {
        return new LongBelOptions(documentsInFlight, computeThreads, knowledgeBase, kvBlockSize, kvCacheBytes, dir, rowBudget, kvReuse, device, precision);
    }

    /** A copy whose forwards carry at most {@code rows} token rows (0: automatic). */
    public LongBelOptions withRowBudget(int rows) {
        return new LongBelOptions(documentsInFlight, computeThreads, knowledgeBase, kvBlockSize, kvCacheBytes, kbCacheDir, rows, kvReuse, device, precision);
    }

    /** A copy with KV reuse across prompts on or off (outputs are identical either way). */
    public LongBelOptions withKvReuse(boolean reuse) {
        return new LongBelOptions(documentsInFlight, computeThreads, knowledgeBase, kvBlockSize, kvCacheBytes, kbCacheDir, rowBudget, reuse, device, precision);
    }

    /** A copy running on {@code d}: cpu, cuda, or auto. */
    public LongBelOptions withDevice(Device d) {
        return new LongBelOptions(documentsInFlight, computeThreads, knowledgeBase, kvBlockSize, kvCacheBytes, kbCacheDir, rowBudget, kvReuse, d, precision);
    }

    /** A copy with {@code p} activations in a GPU's matrix products. */
    public LongBelOptions withPrecision(Precision p) {
        return new LongBelOptions(documentsInFlight, computeThreads, knowledgeBase, kvBlockSize, kvCacheBytes, kbCacheDir, rowBudget, kvReuse, device, p);
    }

    /** The rows per forward on {@code backend}: the option, or the automatic choice for its kind. */
    public int rowBudgetFor(Backend backend) {
        if (rowBudget > 0) return rowBudget;
        return backend instanceof CpuBackend ? CPU_ROW_BUDGET : GPU_ROW_BUDGET;
    }

    /** The KV budget on {@code backend}: the option, or the automatic choice (the backend's suggestion). */
    public long kvCacheBytesFor(Backend backend) {
        if (kvCacheBytes > 0) return kvCacheBytes;
        return backend instanceof CpuBackend ? CPU_KV_CACHE_BYTES : backend.suggestedKvCacheBytes();
    }
}
