package org.longbel.core.kv;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.longbel.core.KvCache;
import org.longbel.core.KvCacheFullException;

/**
 * A {@link KvCache} over fixed-size blocks of {@code blockSize} tokens, allocated off the Java heap.
 *
 * <p>One block holds, for every layer, the keys and then the values of its tokens:
 * {@code [layer][K|V][slot][kvDim]} float32 in native byte order. A sequence is a table of blocks; forking
 * copies the table and increments each block's reference count. Before a sequence grows, {@link #extend}
 * gives it private copies of a shared, partially filled last block (copy-on-write), so full blocks are never
 * written again and shared blocks never change. Blocks whose count drops to zero return to a free list and
 * are reused; allocations beyond the byte budget throw {@link KvCacheFullException}.
 *
 * <p>Sequence handles of freed sequences are reused. Not thread-safe: one forward (or one thread) at a time
 * uses a cache.
 */
public final class PagedKvCache implements KvCache {

    private static final long ALIGNMENT = 64;

    private static final class Block {
        final MemorySegment memory;
        int refs;

        Block(MemorySegment memory) { this.memory = memory; }
    }

    private static final class Sequence {
        final List<Block> blocks;
        int length;

        Sequence(List<Block> blocks, int length) {
            this.blocks = blocks;
            this.length = length;
        }
    }

    private final int numLayers;
    private final int kvDim;
    private final int blockSize;
    private final long budgetBytes;
    private final long blockBytes;
    private final long maxBlocks;
    private final Arena arena = Arena.ofShared();
    private final ArrayDeque<Block> freeBlocks = new ArrayDeque<>();
    private final List<Sequence> sequences = new ArrayList<>();
    private final ArrayDeque<Integer> freeIds = new ArrayDeque<>();
    private long blocksInUse;
    private boolean closed;

    /**
     * @param numLayers   decoder layers
     * @param kvDim       floats per token per layer for keys (and for values): kvHeads * headDim
     * @param blockSize   tokens per block
     * @param budgetBytes the most bytes of blocks in use at once
     */
    public PagedKvCache(int numLayers, int kvDim, int blockSize, long budgetBytes) {
        if (numLayers < 1 || kvDim < 1) {
            throw new IllegalArgumentException("KV cache needs numLayers >= 1 and kvDim >= 1, got " + numLayers + ", " + kvDim);
        }
        if (blockSize < 1) throw new IllegalArgumentException("KV block size must be at least 1 token, got " + blockSize);
        if (budgetBytes < 0) throw new IllegalArgumentException("KV budget must not be negative, got " + budgetBytes);
        this.numLayers = numLayers;
        this.kvDim = kvDim;
        this.blockSize = blockSize;
        this.budgetBytes = budgetBytes;
        this.blockBytes = bytesPerBlock(numLayers, kvDim, blockSize);
        this.maxBlocks = budgetBytes / blockBytes;
    }

    /** Tokens per block. */
    public int blockSize() { return blockSize; }

    /** Floats per token per layer of keys (or values). */
    public int kvDim() { return kvDim; }

    /** Decoder layers stored. */
    public int numLayers() { return numLayers; }

    /** Bytes of one block (all layers, keys and values). */
    public long blockBytes() { return blockBytes; }

    /** Bytes of one block of {@code blockSize} tokens: keys and values of every layer, float32. */
    public static long bytesPerBlock(int numLayers, int kvDim, int blockSize) {
        return 2L * numLayers * blockSize * kvDim * Float.BYTES;
    }

    @Override
    public int newSequence() {
        checkOpen();
        return register(new Sequence(new ArrayList<>(), 0));
    }

    @Override
    public int fork(int seq) {
        Sequence parent = sequence(seq);
        for (Block b : parent.blocks) b.refs++;
        return register(new Sequence(new ArrayList<>(parent.blocks), parent.length));
    }

    @Override
    public void free(int seq) {
        Sequence s = sequence(seq);
        for (Block b : s.blocks) release(b);
        sequences.set(seq, null);
        freeIds.push(seq);
    }

    @Override
    public int length(int seq) { return sequence(seq).length; }

    @Override
    public long bytesInUse() { return blocksInUse * blockBytes; }

    @Override
    public long budgetBytes() { return budgetBytes; }

    /**
     * Makes room for {@code counts[i]} more tokens at the end of each sequence {@code seqs[i]} (their lengths
     * grow accordingly) and makes every block those tokens land in private to its sequence. A sequence appears at
     * most once. All or nothing:
     * if the blocks needed do not fit the budget, nothing changes and {@link KvCacheFullException} is thrown.
     */
    public void extend(int[] seqs, int[] counts) {
        if (seqs.length != counts.length) {
            throw new IllegalArgumentException(seqs.length + " sequences but " + counts.length + " counts");
        }
        long needed = 0;
        Map<Block, Integer> refsLeft = new IdentityHashMap<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < seqs.length; i++) {
            Sequence s = sequence(seqs[i]);
            if (!seen.add(seqs[i])) throw new IllegalArgumentException("sequence " + seqs[i] + " appears twice in one extend");
            if (counts[i] < 0) throw new IllegalArgumentException("negative token count " + counts[i] + " for sequence " + seqs[i]);
            if (counts[i] == 0) continue;
            if (s.length % blockSize != 0) {
                Block last = s.blocks.getLast();
                int refs = refsLeft.getOrDefault(last, last.refs);
                if (refs > 1) {
                    needed++;
                    refsLeft.put(last, refs - 1);
                }
            }
            needed += blocksFor(s.length + counts[i]) - s.blocks.size();
        }
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
        for (int i = 0; i < seqs.length; i++) {
            if (counts[i] == 0) continue;
            Sequence s = sequence(seqs[i]);
            if (s.length % blockSize != 0 && s.blocks.getLast().refs > 1) {
                Block shared = s.blocks.getLast();
                Block copy = allocate();
                MemorySegment.copy(shared.memory, 0, copy.memory, 0, blockBytes);
                release(shared);
                s.blocks.set(s.blocks.size() - 1, copy);
            }
            s.length += counts[i];
            while (s.blocks.size() < blocksFor(s.length)) s.blocks.add(allocate());
        }
    }

    /** Shortens a sequence to {@code length} tokens (undoes an {@link #extend} whose forward failed). */
    public void truncate(int seq, int length) {
        Sequence s = sequence(seq);
        if (length < 0 || length > s.length) {
            throw new IllegalArgumentException("cannot truncate sequence " + seq + " of length " + s.length + " to " + length);
        }
        while (s.blocks.size() > blocksFor(length)) release(s.blocks.removeLast());
        s.length = length;
    }

    /** The memory of the blocks of a sequence, in position order (position p is in block p / blockSize). */
    public MemorySegment[] blocks(int seq) {
        List<Block> blocks = sequence(seq).blocks;
        MemorySegment[] out = new MemorySegment[blocks.size()];
        for (int i = 0; i < out.length; i++) out[i] = blocks.get(i).memory;
        return out;
    }

    /** The memory of block {@code index} of a sequence (the block holding positions {@code index * blockSize ..}). */
    public MemorySegment block(int seq, int index) {
        return sequence(seq).blocks.get(index).memory;
    }

    /** Byte offset, inside a block, of the keys of {@code layer} at {@code slot} (position % blockSize). */
    public long keyOffset(int layer, int slot) {
        return ((2L * layer) * blockSize + slot) * kvDim * Float.BYTES;
    }

    /** Byte offset, inside a block, of the values of {@code layer} at {@code slot}. */
    public long valueOffset(int layer, int slot) {
        return ((2L * layer + 1) * blockSize + slot) * kvDim * Float.BYTES;
    }

    /** Frees all memory; the cache cannot be used afterwards. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        sequences.clear();
        freeIds.clear();
        freeBlocks.clear();
        blocksInUse = 0;
        arena.close();
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

    private Block allocate() {
        Block b = freeBlocks.poll();
        if (b == null) b = new Block(arena.allocate(blockBytes, ALIGNMENT));
        b.refs = 1;
        blocksInUse++;
        return b;
    }

    private void release(Block b) {
        if (--b.refs == 0) {
            blocksInUse--;
            freeBlocks.push(b);
        }
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
