package org.longbel.core.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The block manager drives any {@link KvStorage}: slots, copy-on-write through the storage, block tables. */
class KvStorageTest {

    private static final KvLayout LAYOUT = new KvLayout(2, 4, 4);

    /** A storage that holds no memory and records what the cache asks of it. */
    private static final class Recording implements KvStorage {
        final int capacity;
        final List<int[]> copies = new ArrayList<>();
        boolean closed;

        Recording(KvLayout layout, int capacity) {
            assertEquals(LAYOUT, layout);
            this.capacity = capacity;
        }

        @Override public KvLayout layout() { return LAYOUT; }
        @Override public int capacity() { return capacity; }
        @Override public void copy(int from, int to) { copies.add(new int[] {from, to}); }
        @Override public long bytesReserved() { return 0; }
        @Override public void close() { closed = true; }
    }

    @Test
    void theCacheSizesTheStorageFromTheBudgetAndCopiesSharedBlocksThroughIt() {
        Recording[] made = new Recording[1];
        PagedKvCache cache = new PagedKvCache(LAYOUT, 5 * LAYOUT.blockBytes() + 7, (layout, capacity) -> made[0] = new Recording(layout, capacity));
        assertEquals(5, made[0].capacity, "as many slots as whole blocks fit the budget");
        int a = cache.newSequence();
        cache.extend(new int[] {a}, new int[] {6});              // blocks 0 and 1 (half full)
        int b = cache.fork(a);
        cache.extend(new int[] {b}, new int[] {1});              // b writes into the shared half-full block
        assertEquals(1, made[0].copies.size());
        int[] copy = made[0].copies.getFirst();
        assertEquals(cache.slots(a)[1], copy[0], "copied from a's block");
        assertEquals(cache.slots(b)[1], copy[1], "into b's new block");
        assertEquals(cache.slots(a)[0], cache.slots(b)[0], "full blocks stay shared");
        cache.close();
        assertTrue(made[0].closed, "closing the cache frees the storage");
    }

    @Test
    void aBatchHasOneBlockTablePerSequenceAndFindsEachRowsBlock() {
        try (PagedKvCache cache = new PagedKvCache(LAYOUT, 16 * LAYOUT.blockBytes(), Recording::new)) {
            int a = cache.newSequence(), b = cache.newSequence();
            cache.extend(new int[] {a, b}, new int[] {9, 3});
            int[] rowSeqs = {a, a, b, a}, positions = {7, 8, 2, 0};
            KvBatch batch = cache.batch(rowSeqs, positions);
            assertEquals(4, batch.rows());
            assertEquals(3 + 1, batch.slots().length, "a's three blocks and b's one, each once");
            assertArrayEquals(new int[] {0, 0, 3, 0}, batch.rowTable());
            for (int r = 0; r < rowSeqs.length; r++) {
                assertEquals(cache.slots(rowSeqs[r])[positions[r] / 4], batch.block(r, positions[r]), "row " + r);
            }
        }
    }

    @Test
    void hostStorageReservesABlockWhenItIsFirstUsed() {
        try (HostKvStorage storage = new HostKvStorage(LAYOUT, 1000)) {
            assertEquals(0, storage.bytesReserved());
            storage.block(3).set(java.lang.foreign.ValueLayout.JAVA_FLOAT, 8, 2.5f);
            storage.copy(3, 7);
            assertEquals(2 * LAYOUT.blockBytes(), storage.bytesReserved());
            assertEquals(2.5f, storage.block(7).get(java.lang.foreign.ValueLayout.JAVA_FLOAT, 8));
        }
    }

    @Test
    void layoutOffsetsInterleaveKeysAndValuesPerLayer() {
        assertEquals(2L * 2 * 4 * 4, LAYOUT.blockFloats());
        assertEquals(0, LAYOUT.keyFloat(0, 0));
        assertEquals(4 * 4, LAYOUT.valueFloat(0, 0));
        assertEquals(2 * 4 * 4 + 3 * 4, LAYOUT.keyFloat(1, 3));
    }
}
