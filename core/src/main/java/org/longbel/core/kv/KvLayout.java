package org.longbel.core.kv;

/**
 * The layout of one KV block, the same on every device: for every layer, the keys and then the values of its
 * {@code blockSize} tokens, {@code [layer][K|V][slot][kvDim]} float32. A block of the pool is addressed by its
 * slot number; the block of slot s starts at {@code s * blockFloats()}.
 *
 * @param numLayers decoder layers
 * @param kvDim     floats per token per layer for keys (and for values): kvHeads * headDim
 * @param blockSize tokens per block
 */
public record KvLayout(int numLayers, int kvDim, int blockSize) {

    public KvLayout {
        if (numLayers < 1 || kvDim < 1) {
            throw new IllegalArgumentException("KV cache needs numLayers >= 1 and kvDim >= 1, got " + numLayers + ", " + kvDim);
        }
        if (blockSize < 1) throw new IllegalArgumentException("KV block size must be at least 1 token, got " + blockSize);
    }

    /** Floats of one block. */
    public long blockFloats() { return 2L * numLayers * blockSize * kvDim; }

    /** Bytes of one block. */
    public long blockBytes() { return blockFloats() * Float.BYTES; }

    /** Float offset, inside a block, of the keys of {@code layer} at {@code slot} (position % blockSize). */
    public long keyFloat(int layer, int slot) { return ((2L * layer) * blockSize + slot) * kvDim; }

    /** Float offset, inside a block, of the values of {@code layer} at {@code slot}. */
    public long valueFloat(int layer, int slot) { return ((2L * layer + 1) * blockSize + slot) * kvDim; }
}
