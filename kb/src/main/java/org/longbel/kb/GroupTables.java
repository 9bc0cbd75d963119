package org.longbel.kb;

import static org.longbel.kb.TrieFileFormat.INT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One group's name and code tables, read from the mapped sections of a trie file. */
final class GroupTables {
    private final int entries;
    private final MemorySegment nameOffsets, nameBytes, nameOrder, entryCode;
    private final MemorySegment codeOffsets, codeBytes, codeFirst, codeEntries;
    private final int codes;

    GroupTables(int entries, int codes, MemorySegment nameOffsets, MemorySegment nameBytes, MemorySegment nameOrder,
                MemorySegment entryCode, MemorySegment codeOffsets, MemorySegment codeBytes, MemorySegment codeFirst,
                MemorySegment codeEntries) {
        this.entries = entries;
        this.codes = codes;
        this.nameOffsets = nameOffsets;
        this.nameBytes = nameBytes;
        this.nameOrder = nameOrder;
        this.entryCode = entryCode;
        this.codeOffsets = codeOffsets;
        this.codeBytes = codeBytes;
        this.codeFirst = codeFirst;
        this.codeEntries = codeEntries;
    }

    int entries() {
        return entries;
    }

    String name(int entry) {
        return string(nameBytes, nameOffsets, entry);
    }

    String code(int entry) {
        return string(codeBytes, codeOffsets, entryCode.getAtIndex(INT, entry));
    }

    /** The entry named exactly {@code name}, or -1. */
    int entryOf(String name) {
        return search(nameBytes, nameOffsets, nameOrder, entries, name);
    }

    /** Entries whose code is exactly {@code code}, ascending. */
    List<Integer> entriesOf(String code) {
        int c = search(codeBytes, codeOffsets, null, codes, code);
        if (c < 0) return List.of();
        List<Integer> out = new ArrayList<>();
        for (int i = codeFirst.getAtIndex(INT, c); i < codeFirst.getAtIndex(INT, c + 1); i++) {
            out.add(codeEntries.getAtIndex(INT, i));
        }
        return out;
    }

    /**
     * Binary search of a string table for {@code key}: the index of the equal string, or -1. The table's
     * {@code count} strings are visited in {@code order} (indexes in byte order), or as stored when null.
     */
    private static int search(MemorySegment bytes, MemorySegment offsets, MemorySegment order, int count, String key) {
        MemorySegment k = MemorySegment.ofArray(key.getBytes(StandardCharsets.UTF_8));
        int lo = 0, hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int index = order == null ? mid : order.getAtIndex(INT, mid);
            int c = compare(bytes, offsets, index, k);
            if (c < 0) lo = mid + 1;
            else if (c > 0) hi = mid - 1;
            else return index;
        }
        return -1;
    }

    private static String string(MemorySegment bytes, MemorySegment offsets, int index) {
        int from = offsets.getAtIndex(INT, index), to = offsets.getAtIndex(INT, index + 1);
        byte[] b = bytes.asSlice(from, to - from).toArray(ValueLayout.JAVA_BYTE);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Unsigned byte comparison of string {@code index} of a table with {@code key}. */
    private static int compare(MemorySegment bytes, MemorySegment offsets, int index, MemorySegment key) {
        long from = offsets.getAtIndex(INT, index), to = offsets.getAtIndex(INT, index + 1);
        long mismatch = MemorySegment.mismatch(bytes, from, to, key, 0, key.byteSize());
        if (mismatch < 0) return 0;
        if (mismatch == to - from) return -1;
        if (mismatch == key.byteSize()) return 1;
        return Integer.compare(bytes.get(ValueLayout.JAVA_BYTE, from + mismatch) & 0xFF, key.get(ValueLayout.JAVA_BYTE, mismatch) & 0xFF);
    }
}
