package org.longbel.core.kv;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.longbel.core.KvCache;
import org.longbel.core.KvCacheFullException;

/**
 * A {@link KvCache} over fixed-size blocks of {@code blockSize} tokens: the block manager. The floats live in a
 * {@link KvStorage} that a backend provides (host memory on the CPU, a device pool on a GPU); this class, always on
 * the host, decides which storage slot holds which block of which sequence.
 *
 * <p>One block holds, for every layer, the keys and then the values of its tokens ({@link KvLayout}:
 * {@code [layer][K|V][slot][kvDim]} float32). A sequence is a table of blocks plus the
 * token ids written into them; forking copies the table and increments each block's reference count. Before
 * a sequence grows, {@link #extend} gives it private copies of a shared, partially filled last block
 * (copy-on-write), so full blocks are never written again and shared blocks never change.
 *
 * <p>Prefix sharing: once a forward has filled a block ({@link #commit}), the block enters a {@link PrefixIndex}
 * keyed by (its predecessor, its token ids), and {@link #adoptPrefix} lets a new sequence take every indexed
 * full block of its prompt instead of recomputing it. The key and value entries of a position depend only on
 * the tokens up to it, and the forward computes each row the same way whatever the batch, so an adopted block
 * holds bit for bit what a prefill would write. Blocks no sequence references stay indexed, on an LRU list,
 * and are reclaimed (oldest first) only when an allocation finds no free block within the budget.
 *
 * <p>Sequence handles of freed sequences are reused. Not thread-safe: one forward (or one thread) at a time
 * uses a cache.
 */
public final class PagedKvCache implements KvCache {

    /** Token id recorded for positions written through {@link #extend(int[], int[])} (never indexed). */
    private static final int UNKNOWN_TOKEN = -1;

    private static final class Sequence {
        final List<KvBlock> blocks;
        int[] tokens;
        int length;
        /** Blocks at the front already offered to the index (full and committed). */
        int committedBlocks;

        Sequence(List<KvBlock> blocks, int[] tokens, int length, int committedBlocks) {
            this.blocks = blocks;
            this.tokens = tokens;
            this.length = length;
            this.committedBlocks = committedBlocks;
        }
    }

    private final KvLayout layout;
    private final int numLayers;
    private final int kvDim;
    private final int blockSize;
    private final long budgetBytes;
    private final long blockBytes;
    private final long maxBlocks;
    private final KvStorage storage;
    private final ArrayDeque<KvBlock> freeBlocks = new ArrayDeque<>();
    private final PrefixIndex index = new PrefixIndex();
    private final List<Sequence> sequences = new ArrayList<>();
    private final ArrayDeque<Integer> freeIds = new ArrayDeque<>();
    private boolean prefixSharing = true;
    private long blocksAllocated;
    private long blocksInUse;
    private long peakBlocksInUse;
    private long nextBlockId;
    private long evictions;
    private boolean closed;

    /**
     * A cache in host memory ({@link HostKvStorage}).
     *
     * @param numLayers   decoder layers
     * @param kvDim       floats per token per layer for keys (and for values): kvHeads * headDim
     * @param blockSize   tokens per block
     * @param budgetBytes the most bytes of blocks held at once (in use or kept for reuse)
     */
    public PagedKvCache(int numLayers, int kvDim, int blockSize, long budgetBytes) {
        this(new KvLayout(numLayers, kvDim, blockSize), budgetBytes, HostKvStorage::new);
    }

    /**
     * A cache whose blocks live in the storage that {@code storage} makes for the layout and the number of blocks
     * that fit the budget (a backend's {@code newKvStorage}).
     */
    public PagedKvCache(KvLayout layout, long budgetBytes, BiFunction<KvLayout, Integer, KvStorage> storage) {
        if (budgetBytes < 0) throw new IllegalArgumentException("KV budget must not be negative, got " + budgetBytes);
        this.layout = layout;
        this.numLayers = layout.numLayers();
        this.kvDim = layout.kvDim();
        this.blockSize = layout.blockSize();
        this.budgetBytes = budgetBytes;
        this.blockBytes = layout.blockBytes();
        this.maxBlocks = Math.min(budgetBytes / blockBytes, Integer.MAX_VALUE - 8);
        this.storage = storage.apply(layout, (int) maxBlocks);
    }

    /** The memory of the blocks. */
    public KvStorage storage() { return storage; }

    /** The layout of every block. */
    public KvLayout layout() { return layout; }

    @Override
    public int blockSize() { return blockSize; }

    /** Floats per token per layer of keys (or values). */
    public int kvDim() { return kvDim; }

    /** Decoder layers stored. */
    public int numLayers() { return numLayers; }

    @Override
    public long blockBytes() { return blockBytes; }

    /** Bytes of one block of {@code blockSize} tokens: keys and values of every layer, float32. */
    public static long bytesPerBlock(int numLayers, int kvDim, int blockSize) {
        return new KvLayout(numLayers, kvDim, blockSize).blockBytes();
    }

    @Override
    public int newSequence() {
        checkOpen();
        return register(new Sequence(new ArrayList<>(), new int[blockSize], 0, 0));
    }

    @Override
    public int fork(int seq) {
        Sequence parent = sequence(seq);
        for (KvBlock b : parent.blocks) b.refs++;
        return register(new Sequence(new ArrayList<>(parent.blocks), parent.tokens.clone(), parent.length,
                parent.committedBlocks));
    }

    @Override
    public void free(int seq) {
        Sequence s = sequence(seq);
        for (KvBlock b : s.blocks) release(b);
        sequences.set(seq, null);
        freeIds.push(seq);
    }

    @Override
    public int length(int seq) { return sequence(seq).length; }

    @Override
    public long bytesInUse() { return blocksInUse * blockBytes; }

    @Override
    public int liveSequences() { return sequences.size() - freeIds.size(); }

    @Override
    public long budgetBytes() { return budgetBytes; }

    @Override
    public long peakBytesInUse() { return peakBlocksInUse * blockBytes; }

    /** Bytes of indexed blocks no sequence uses, kept for reuse until an allocation needs room. */
    public long cachedBytes() { return index.idleBlocks() * blockBytes; }

    @Override
    public long evictions() { return evictions; }

    @Override
    public void setPrefixSharing(boolean enabled) {
        checkOpen();
        this.prefixSharing = enabled;
        if (!enabled) {
            for (KvBlock b : index.clear()) recycle(b);
        }
    }

    @Override
    public long freeBytes() {
        return (maxBlocks - blocksInUse) * blockBytes;
    }

    @Override
    public int adoptPrefix(int seq, int[] tokens, int maxTokens) {
        Sequence s = sequence(seq);
        if (s.length != 0) throw new IllegalArgumentException("sequence " + seq + " is not empty: it holds " + s.length + " tokens");
        if (!prefixSharing) return 0;
        int limit = Math.min(maxTokens, tokens.length) / blockSize;
        KvBlock previous = null;
        for (int b = 0; b < limit; b++) {
            KvBlock block = index.find(previous, tokens, b * blockSize, blockSize);
            if (block == null) break;
            if (block.refs++ == 0) {
                index.markBusy(block);
                blocksInUse++;
            }
            s.blocks.add(block);
            previous = block;
        }
        int adopted = s.blocks.size() * blockSize;
        if (adopted > 0) {
            ensureTokenCapacity(s, adopted);
            System.arraycopy(tokens, 0, s.tokens, 0, adopted);
            s.length = adopted;
            s.committedBlocks = s.blocks.size();
            peakBlocksInUse = Math.max(peakBlocksInUse, blocksInUse);
        }
        return adopted;
    }

    /**
     * Makes room for {@code tokens[i]} at the end of each sequence {@code seqs[i]} (their lengths grow
     * accordingly, the ids are recorded for the prefix index) and makes every block those tokens land in
     * private to its sequence. A sequence appears at most once. All or nothing: if the blocks needed do not fit
     * the budget, nothing changes and {@link KvCacheFullException} is thrown.
     */
    public void extend(int[] seqs, int[][] tokens) {
        if (seqs.length != tokens.length) {
            throw new IllegalArgumentException(seqs.length + " sequences but " + tokens.length + " token lists");
        }
        int[] counts = new int[seqs.length];
        for (int i = 0; i < seqs.length; i++) counts[i] = tokens[i].length;
        reserve(seqs, counts);
        for (int i = 0; i < seqs.length; i++) {
            if (counts[i] == 0) continue;
            Sequence s = sequence(seqs[i]);
            grow(s, counts[i]);
            System.arraycopy(tokens[i], 0, s.tokens, s.length - counts[i], counts[i]);
        }
    }

    /**
     * Like {@link #extend(int[], int[][])} for {@code counts[i]} tokens whose ids are not known (tests and
     * kernels that write the cache directly): the blocks they fill are never offered to the prefix index.
     */
    public void extend(int[] seqs, int[] counts) {
        if (seqs.length != counts.length) {
            throw new IllegalArgumentException(seqs.length + " sequences but " + counts.length + " counts");
        }
        int[][] unknown = new int[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) throw new IllegalArgumentException("negative token count " + counts[i] + " for sequence " + seqs[i]);
            unknown[i] = new int[counts[i]];
            Arrays.fill(unknown[i], UNKNOWN_TOKEN);
        }
        extend(seqs, unknown);
    }

    /**
     * Declares the blocks that the last forward filled as complete: every full block of these sequences not
     * yet offered to the prefix index is indexed under (its predecessor, its tokens), unless an equal block is
     * indexed already. Call after the forward that wrote the blocks succeeded.
     */
    public void commit(int[] seqs) {
        for (int seq : seqs) {
            Sequence s = sequence(seq);
            int full = s.length / blockSize;
            for (int b = s.committedBlocks; b < full; b++) {
                if (prefixSharing && !hasUnknownToken(s.tokens, b * blockSize)) {
                    index.add(b == 0 ? null : s.blocks.get(b - 1), s.blocks.get(b), s.tokens, b * blockSize, blockSize);
                }
            }
            s.committedBlocks = Math.max(s.committedBlocks, full);
        }
    }

    /** The number of more blocks {@link #extend} would allocate for these sequences and counts. */
    private long blocksNeeded(int[] seqs, int[] counts) {
        long needed = 0;
        Map<KvBlock, Integer> refsLeft = new IdentityHashMap<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < seqs.length; i++) {
            Sequence s = sequence(seqs[i]);
            if (!seen.add(seqs[i])) throw new IllegalArgumentException("sequence " + seqs[i] + " appears twice in one extend");
            if (counts[i] < 0) throw new IllegalArgumentException("negative token count " + counts[i] + " for sequence " + seqs[i]);
            if (counts[i] == 0) continue;
            if (s.length % blockSize != 0) {
                KvBlock last = s.blocks.getLast();
                int refs = refsLeft.getOrDefault(last, last.refs);
                if (readOnly(last, refs)) {
                    needed++;
                    refsLeft.put(last, refs - 1);
                }
            }
            needed += blocksFor(s.length + counts[i]) - s.blocks.size();
        }
        return needed;
    }

    private void reserve(int[] seqs, int[] counts) {
        long needed = blocksNeeded(seqs, counts);
        if (needed > 0 && maxBlocks == 0) {
            throw new KvCacheFullException(String.format(
                    "KV cache budget of %d bytes is smaller than one block (%d bytes: %d tokens x %d layers x keys and "
                            + "values x %d floats); raise the KV-cache budget to at least %d bytes",
                    budgetBytes, blockBytes, blockSize, numLayers, kvDim, blockBytes));
        }
        if (blocksInUse + needed > maxBlocks) {
            throw new KvCacheFullException(String.format(
                    "KV cache budget exceeded: this step needs %d more block(s) of %d tokens (%d bytes each), "
                            + "but %d of the %d blocks that fit the budget of %d bytes are in use; raise the KV-cache "
                            + "budget or run fewer or shorter sequences at once",
                    needed, blockSize, blockBytes, blocksInUse, maxBlocks, budgetBytes));
        }
    }

    /** Copy-on-write of a shared partial last block, then new blocks for {@code count} more tokens. */
    private void grow(Sequence s, int count) {
        if (s.length % blockSize != 0 && readOnly(s.blocks.getLast(), s.blocks.getLast().refs)) {
            KvBlock shared = s.blocks.getLast();
            KvBlock copy = allocate();
            storage.copy(shared.slot, copy.slot);
            release(shared);
            s.blocks.set(s.blocks.size() - 1, copy);
        }
        s.length += count;
        ensureTokenCapacity(s, s.length);
        while (s.blocks.size() < blocksFor(s.length)) s.blocks.add(allocate());
        peakBlocksInUse = Math.max(peakBlocksInUse, blocksInUse);
    }

    /** Shortens a sequence to {@code length} tokens (undoes an {@link #extend} whose forward failed). */
    public void truncate(int seq, int length) {
        Sequence s = sequence(seq);
        if (length < 0 || length > s.length) {
            throw new IllegalArgumentException("cannot truncate sequence " + seq + " of length " + s.length + " to " + length);
        }
        while (s.blocks.size() > blocksFor(length)) release(s.blocks.removeLast());
        s.length = length;
        s.committedBlocks = Math.min(s.committedBlocks, length / blockSize);
    }

    /** The storage slots of the blocks of a sequence, in position order (position p is in block p / blockSize). */
    public int[] slots(int seq) {
        List<KvBlock> blocks = sequence(seq).blocks;
        int[] out = new int[blocks.size()];
        for (int i = 0; i < out.length; i++) out[i] = blocks.get(i).slot;
        return out;
    }

    /**
     * The block tables of one forward whose row r is at {@code positions[r]} of sequence {@code rowSeqs[r]}; each
     * sequence's table appears once, however many rows it has. Call after {@link #extend}, so that every position
     * has its block.
     */
    public KvBatch batch(int[] rowSeqs, int[] positions) {
        if (rowSeqs.length != positions.length) {
            throw new IllegalArgumentException(rowSeqs.length + " row sequences but " + positions.length + " positions");
        }
        Map<Integer, Integer> starts = new HashMap<>();
        int[] rowTable = new int[rowSeqs.length];
        int total = 0;
        for (int r = 0; r < rowSeqs.length; r++) {
            Integer start = starts.get(rowSeqs[r]);
            if (start == null) {
                Sequence s = sequence(rowSeqs[r]);
                start = total;
                starts.put(rowSeqs[r], start);
                total += s.blocks.size();
            }
            if (positions[r] < 0 || positions[r] >= sequence(rowSeqs[r]).length) {
                throw new IllegalArgumentException("position " + positions[r] + " of sequence " + rowSeqs[r] + " is not cached (length "
                        + sequence(rowSeqs[r]).length + ")");
            }
            rowTable[r] = start;
        }
        int[] slots = new int[total];
        for (Map.Entry<Integer, Integer> e : starts.entrySet()) {
            List<KvBlock> blocks = sequence(e.getKey()).blocks;
            for (int i = 0; i < blocks.size(); i++) slots[e.getValue() + i] = blocks.get(i).slot;
        }
        return new KvBatch(positions, rowTable, slots, layout);
    }

    /** Frees all memory; the cache cannot be used afterwards. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        sequences.clear();
        freeIds.clear();
        freeBlocks.clear();
        index.clear();
        blocksInUse = 0;
        storage.close();
    }

    /** Handles of freed sequences are reused, like file descriptors. */
    private int register(Sequence s) {
        Integer id = freeIds.poll();
        if (id == null) {
            sequences.add(s);
            return sequences.size() - 1;
        }
        sequences.set(id, s);
        return id;
    }

    private int blocksFor(int tokens) {
        return (tokens + blockSize - 1) / blockSize;
    }

    private void ensureTokenCapacity(Sequence s, int length) {
        if (s.tokens.length < length) s.tokens = Arrays.copyOf(s.tokens, Math.max(length, 2 * s.tokens.length));
    }

    private boolean hasUnknownToken(int[] tokens, int from) {
        for (int i = from; i < from + blockSize; i++) if (tokens[i] == UNKNOWN_TOKEN) return true;
        return false;
    }

    /** A block the sequence may not write in place: shared, or indexed (its contents are promised to the index). */
    private static boolean readOnly(KvBlock b, int refs) {
        return refs > 1 || b.key != null;
    }

    /** A block with one reference: a free one, a new one within the budget, or the least recently used idle indexed one. */
    private KvBlock allocate() {
        KvBlock b = freeBlocks.poll();
        if (b == null && blocksAllocated < maxBlocks) {
            b = new KvBlock((int) blocksAllocated);
            blocksAllocated++;
        }
        if (b == null) {
            b = index.evictOldestIdle();
            if (b == null) throw new IllegalStateException("KV cache has no block to allocate (" + blocksInUse + " in use of " + maxBlocks + ")");
            evictions++;
        }
        b.id = nextBlockId++;
        b.refs = 1;
        blocksInUse++;
        return b;
    }

    private void release(KvBlock b) {
        if (--b.refs == 0) {
            blocksInUse--;
            if (b.key != null) index.markIdle(b);
            else recycle(b);
        }
    }

    private void recycle(KvBlock b) {
        freeBlocks.push(b);
    }

    private Sequence sequence(int seq) {
        checkOpen();
        Sequence s = seq >= 0 && seq < sequences.size() ? sequences.get(seq) : null;
        if (s == null) throw new IllegalArgumentException("unknown or freed KV-cache sequence " + seq);
        return s;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("KV cache is closed");
    }
}
