package org.longbel.core.kv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The full KV blocks a {@link PagedKvCache} can hand to a new sequence whose prompt starts with the same
 * tokens: each keyed by (the allocation id of the block before it, its own token ids). A block's place in the
 * chain fixes its positions, and the chain from the first block fixes every token before it, so a block found
 * by walking the chain from the start holds exactly the keys and values a prefill of that prefix would write.
 * Keys compare the token ids themselves (not a hash of them), so a block is never handed out for other tokens.
 *
 * <p>Indexed blocks that no sequence references are "idle": they stay findable, in least-recently-released
 * order, until an allocation reclaims the oldest.
 */
final class PrefixIndex {

    /** (previous block's allocation id or -1 for the first block, the block's token ids). */
    record Key(long previous, int[] tokens) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.previous == previous && Arrays.equals(k.tokens, tokens);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(previous) * 31 + Arrays.hashCode(tokens);
        }
    }

    private final Map<Key, KvBlock> blocks = new HashMap<>();
    private final LinkedHashSet<KvBlock> idle = new LinkedHashSet<>();

    private static Key key(KvBlock previous, int[] tokens, int from, int count) {
        return new Key(previous == null ? -1 : previous.id, Arrays.copyOfRange(tokens, from, from + count));
    }

    /** The indexed block following {@code previous} (null: the first block) with tokens {@code tokens[from, from+count)}. */
    KvBlock find(KvBlock previous, int[] tokens, int from, int count) {
        return blocks.get(key(previous, tokens, from, count));
    }

    /** Indexes {@code block} (in use, full) unless an equal block is indexed already. */
    void add(KvBlock previous, KvBlock block, int[] tokens, int from, int count) {
        if (block.key != null) return;
        Key k = key(previous, tokens, from, count);
        if (blocks.putIfAbsent(k, block) == null) block.key = k;
    }

    /** An indexed block lost its last reference: it becomes the most recently released idle block. */
    void markIdle(KvBlock block) {
        idle.add(block);
    }

    /** An idle block was adopted again. */
    void markBusy(KvBlock block) {
        idle.remove(block);
    }

    /** Idle blocks held. */
    long idleBlocks() {
        return idle.size();
    }

    /** Removes the least recently released idle block from the index and returns it, or null when none is idle. */
    KvBlock evictOldestIdle() {
        Iterator<KvBlock> it = idle.iterator();
        if (!it.hasNext()) return null;
        KvBlock b = it.next();
        it.remove();
        blocks.remove(b.key);
        b.key = null;
        return b;
    }

    /** Forgets every block; returns the idle ones, which nothing references any more. */
    List<KvBlock> clear() {
        List<KvBlock> wasIdle = new ArrayList<>(idle);
        for (KvBlock b : blocks.values()) b.key = null;
        blocks.clear();
        idle.clear();
        return wasIdle;
    }
}
