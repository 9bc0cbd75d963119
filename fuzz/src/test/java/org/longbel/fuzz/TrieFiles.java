package org.longbel.fuzz;

import org.longbel.kb.KnowledgeBase;
import org.longbel.kb.TokenTrie;
import org.longbel.kb.TrieCursor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.zip.CRC32C;

/** Helpers of the trie file fuzz target: resealing a file's header, and using an opened file. */
final class TrieFiles {
    private TrieFiles() {}

    /** The trie file's fixed prefix (org.longbel.kb.TrieFileFormat): magic, version, CRC32C at 12, payload length at 16. */
    static final int PREFIX_BYTES = 48;
    private static final int CRC_AT = 12, PAYLOAD_AT = 16;

    /** Nodes visited per group, at most (a valid fuzzed file is small; this bounds the time per input). */
    private static final int MAX_NODES = 4096;
    /** Entries read back by number per group, at most. */
    private static final int MAX_ENTRIES = 256;

    /**
     * A copy of {@code data} whose payload length and CRC32C are those of its content, as the writer seals a
     * file. Inputs shorter than the prefix are returned unchanged.
     */
    static byte[] reseal(byte[] data) {
        if (data.length < PREFIX_BYTES) return data;
        byte[] out = data.clone();
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(PAYLOAD_AT, out.length - PREFIX_BYTES);
        CRC32C crc = new CRC32C();
        crc.update(out, PREFIX_BYTES, out.length - PREFIX_BYTES);
        crc.update(out, PAYLOAD_AT, PREFIX_BYTES - PAYLOAD_AT);
        b.putInt(CRC_AT, (int) crc.getValue());
        return out;
    }

    /**
     * Uses {@code kb} as the decoder and the linker do: walks each group's trie depth-first through a
     * {@link TrieCursor} (children as the cursor lists them, each followed with {@code advance}), resolves
     * every entry reached to its name and code and looks both up again. When a whole trie is walked, it
     * must have reached exactly {@link KnowledgeBase#nodeCount} nodes and {@link KnowledgeBase#entryCount}
     * entries: a file that opens must describe a tree.
     */
    static void walk(KnowledgeBase kb) {
        kb.size();
        kb.metadata();
        for (String group : kb.groups()) {
            int nodes = kb.nodeCount(group), entries = kb.entryCount(group);
            TokenTrie trie = kb.trie(group);
            TrieCursor cursor = new TrieCursor(trie);
            Deque<int[]> todo = new ArrayDeque<>();
            todo.push(new int[0]);
            int visited = 0, found = 0;
            while (!todo.isEmpty() && visited < MAX_NODES) {
                int[] prefix = todo.pop();
                cursor.resetTo(prefix, 0, prefix.length);
                if (!cursor.onTrie()) throw new AssertionError(group + ": prefix " + Arrays.toString(prefix) + " listed but not on the trie");
                visited++;
                int entry = cursor.entry();
                if (entry >= 0) {
                    found++;
                    readEntry(kb, group, entry);
                }
                int[] allowed = new int[cursor.allowedCount()];
                if (cursor.allowed(allowed) != allowed.length) throw new AssertionError(group + ": allowed() and allowedCount() differ");
                for (int i = allowed.length - 1; i >= 0; i--) {
                    if (trie.child(cursor.node(), allowed[i]) == TokenTrie.NO_NODE) {
                        throw new AssertionError(group + ": allowed token " + allowed[i] + " is not a child");
                    }
                    int[] next = Arrays.copyOf(prefix, prefix.length + 1);
                    next[prefix.length] = allowed[i];
                    todo.push(next);
                }
            }
            if (todo.isEmpty() && (visited != nodes || found != entries)) {
                throw new AssertionError(group + ": the walk reached " + visited + " nodes and " + found + " entries, the file says "
                        + nodes + " and " + entries);
            }
            for (int e = 0; e < Math.min(entries, MAX_ENTRIES); e++) readEntry(kb, group, e);
        }
    }

    /**
     * Reads entry {@code entry} and looks its name and its code up again (binary searches over the mapped
     * tables; the reader does not check their order, which only makes a lookup miss, so a miss is allowed).
     */
    private static void readEntry(KnowledgeBase kb, String group, int entry) {
        KnowledgeBase.Entry en = kb.entry(group, entry);
        kb.entryOf(group, en.name());
        kb.names(group, en.code());
    }
}
