package org.longbel.kb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Everything one group contributes to a trie file, as heap arrays ready to write: the trie and the
 * name and code tables with their lookup indexes. Entries are numbered like the trie's entry nodes.
 */
final class GroupImage {
    final String name;
    final TrieArrays trie;
    final int[] nameOffsets;
    final byte[] nameBytes;
    final int[] nameOrder;
    final int[] entryCode;
    final int[] codeOffsets;
    final byte[] codeBytes;
    final int[] codeFirst;
    final int[] codeEntries;

    /**
     * @param sourceNames names in the order the trie builder received their sequences
     * @param sourceCodes the code of each of those names
     */
    GroupImage(String name, TrieArrays trie, List<String> sourceNames, List<String> sourceCodes) {
        this.name = name;
        this.trie = trie;
        int entries = trie.entryCount();
        byte[][] names = new byte[entries][];
        byte[][] codes = new byte[entries][];
        for (int k = 0; k < entries; k++) {
            int src = trie.entrySource()[k];
            names[k] = sourceNames.get(src).getBytes(StandardCharsets.UTF_8);
            codes[k] = sourceCodes.get(src).getBytes(StandardCharsets.UTF_8);
        }
        nameOffsets = new int[entries + 1];
        nameBytes = concat(names, nameOffsets);
        nameOrder = sortedBy(names);

        // Distinct codes in ascending byte order; code id = rank.
        int[] byCode = sortedBy(codes);
        entryCode = new int[entries];
        byte[][] distinct = new byte[entries][];
        int codeCount = 0;
        for (int k = 0; k < entries; k++) {
            int e = byCode[k];
            if (codeCount == 0 || !Arrays.equals(distinct[codeCount - 1], codes[e])) distinct[codeCount++] = codes[e];
            entryCode[e] = codeCount - 1;
        }
        codeOffsets = new int[codeCount + 1];
        codeBytes = concat(Arrays.copyOf(distinct, codeCount), codeOffsets);
        codeFirst = new int[codeCount + 1];
        for (int e = 0; e < entries; e++) codeFirst[entryCode[e] + 1]++;
        for (int c = 0; c < codeCount; c++) codeFirst[c + 1] += codeFirst[c];
        codeEntries = new int[entries];
        int[] fill = Arrays.copyOf(codeFirst, codeCount);
        for (int e = 0; e < entries; e++) codeEntries[fill[entryCode[e]]++] = e;
    }

    int codeCount() {
        return codeOffsets.length - 1;
    }

    private static byte[] concat(byte[][] parts, int[] offsets) {
        long total = 0;
        for (byte[] p : parts) total += p.length;
        if (total > Integer.MAX_VALUE - 8) throw new KbException("names of one group exceed 2 GiB; split the group");
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) total);
        for (int i = 0; i < parts.length; i++) {
            out.writeBytes(parts[i]);
            offsets[i + 1] = out.size();
        }
        return out.toByteArray();
    }

    /** Indexes of {@code keys} sorted by unsigned byte order (UTF-8 order = code point order), stable. */
    private static int[] sortedBy(byte[][] keys) {
        Integer[] order = new Integer[keys.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(keys[a], keys[b]));
        int[] out = new int[order.length];
        for (int i = 0; i < out.length; i++) out[i] = order[i];
        return out;
    }
}
