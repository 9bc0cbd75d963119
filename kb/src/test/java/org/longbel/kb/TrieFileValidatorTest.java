package org.longbel.kb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trie files whose checksum is right but whose content is not what the writer writes (a buggy or hostile
 * writer): each is refused when opened, with a message naming the file and the wrong value, never accepted
 * to fail later on use.
 */
class TrieFileValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    byte[] good;

    @BeforeEach
    void build() throws IOException {
        Path src = TestKbs.write(dir, "kb.json", "{\"G\": {\"pain\": \"C1\", \"pains\": \"C1\", \"pale\": \"C2\"}, \"H\": {\"gamma\": \"C3\"}}");
        Path trie = dir.resolve("kb.trie");
        new KbLoader(TestKbs.CODE_POINTS, "fp").build(KbSource.detect(src), trie);
        good = Files.readAllBytes(trie);
    }

    @Test
    void resealedCopyOfAGoodFileOpens() throws IOException {
        try (KnowledgeBase kb = KnowledgeBase.open(write(reseal(good.clone())))) {
            assertEquals("C2", kb.code("G", "pale"));
        }
    }

    @Test
    void trieWithACycleIsRefused() throws IOException {
        // firstEdge[1] = 0: the root loses its children and node 1 becomes its own child
        String m = refused(withInt(good, "firstEdge", 1, 0));
        assertTrue(m.contains("group \"G\": firstEdge[1] = 0 node 1's edges must start at 1 or later (children follow their parent)"), m);
    }

    @Test
    void unsortedChildrenAreRefused() throws IOException {
        // "} pa" continues with 'i' and 'l': swap the tokens of the first node with two children
        int node = 0;
        while (intAt(good, "firstEdge", node + 1) - intAt(good, "firstEdge", node) < 2) node++;
        int e = intAt(good, "firstEdge", node);
        int a = intAt(good, "edgeToken", e), b = intAt(good, "edgeToken", e + 1);
        byte[] swapped = withInt(withInt(good, "edgeToken", e, b), "edgeToken", e + 1, a);
        String m = refused(swapped);
        assertTrue(m.contains("group \"G\": edgeToken[" + (e + 1) + "] = " + a + " tokens must be non-negative and ascending among node "
                + node + "'s children"), m);
    }

    @Test
    void entryRankThatDisagreesWithTheBitsIsRefused() throws IOException {
        String m = refused(withInt(good, "entryRank", 0, 7));
        assertTrue(m.contains("group \"G\": entryRank[0] = 7 must be 0, the entries before it"), m);
    }

    @Test
    void offsetsOutsideTheirTablesAreRefused() throws IOException {
        String m = refused(withInt(good, "nameOffsets", 1, 1_000_000));
        assertTrue(m.contains("nameOffsets[1] = 1000000 must lie in [0, "), m);
        m = refused(withInt(good, "entryCode", 0, -1));
        assertTrue(m.contains("entryCode[0] = -1 is not a code id in [0, 2)"), m);
        m = refused(withInt(good, "nameOrder", 1, intAt(good, "nameOrder", 0)));
        assertTrue(m.contains("nameOrder[1] = ") && m.contains("repeats an entry"), m);
        m = refused(withInt(good, "codeFirst", 1, 9));
        assertTrue(m.contains("codeFirst[1] = 9 must lie in [0, 3] (the previous value, the entry count)"), m);
    }

    @Test
    void countsAndSectionsThatDoNotFitAreRefused() throws IOException {
        String m = refused(withMetadata(good, meta -> group(meta, 0).put("nodes", 0)));
        assertTrue(m.contains("group \"G\" has 0 nodes, 3 entries and 2 codes (at least 1 node, no negative count)"), m);
        m = refused(withMetadata(good, meta -> group(meta, 0).put("entries", Integer.MAX_VALUE)));
        assertTrue(m.contains("group \"G\": entryBits marks 3 entries, the group has 2147483647"), m);
        // offset + bytes overflows a long: must not pass for "inside the file"
        m = refused(withMetadata(good, meta -> ((ObjectNode) group(meta, 0).get("sections").get("nameBytes"))
                .put("offset", 1L << 62).put("bytes", (1L << 62) + 8)));
        assertTrue(m.contains("section nameBytes of group \"G\" at 4611686018427387904 (+4611686018427387912 bytes) does not fit"), m);
    }

    @Test
    void metadataWithoutWhatTheLoaderNeedsIsRefused() throws IOException {
        String m = refused(withMetadata(good, meta -> meta.remove("source")));
        assertTrue(m.contains("its metadata lacks the source it was built from"), m);
        m = refused(withMetadata(good, meta -> ((ArrayNode) meta.get("groups")).add(group(meta, 0).deepCopy())));
        assertTrue(m.contains("its metadata lists group \"G\" twice"), m);
        m = refused(withMetadata(good, meta -> meta.putNull("groups")));
        assertTrue(m.contains("its metadata lacks the list of groups"), m);
        byte[] nullMeta = reseal(spliceMetadata(good, "null".getBytes()));
        m = refused(nullMeta);
        assertTrue(m.contains("its metadata is null"), m);
    }

    @Test
    void metadataBeyondTheFileIsRefusedWithoutOverflow() throws IOException {
        byte[] b = good.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(24, Long.MAX_VALUE - 8).putLong(32, 100);
        String m = refused(reseal(b));
        assertTrue(m.contains("metadata at " + (Long.MAX_VALUE - 8) + " (+100 bytes) lies outside the file"), m);
    }

    @Test
    void loaderRefusesARecordedSourceOfTheWrongShape() throws IOException {
        byte[] b = withMetadata(good, meta -> ((ObjectNode) meta.get("source")).put("kind", "umls-rrf"));
        Path f = write(b);
        KbException e = assertThrows(KbException.class, () -> new KbLoader(TestKbs.CODE_POINTS, "other").load(f));
        assertEquals("trie file " + f + " is damaged: its umls-rrf source lists 1 files, expected 3", e.getMessage());
        Path g = write(withMetadata(good, meta -> ((ObjectNode) meta.get("source")).put("kind", "csv")));
        e = assertThrows(KbException.class, () -> new KbLoader(TestKbs.CODE_POINTS, "other").load(g));
        assertEquals("trie file " + g + " was built from an unknown knowledge-base kind \"csv\"; rebuild it with `longbel kb build`", e.getMessage());
    }

    private String refused(byte[] file) throws IOException {
        Path f = write(file);
        KbException e = assertThrows(KbException.class, () -> KnowledgeBase.open(f).close());
        assertTrue(e.getMessage().startsWith("trie file " + f + " is damaged: "), e.getMessage());
        return e.getMessage();
    }

    private Path write(byte[] file) throws IOException {
        return Files.write(dir.resolve("damaged.trie"), file);
    }

    /** Payload length and CRC32C recomputed, as the writer seals a file. */
    static byte[] reseal(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(16, b.length - TrieFileFormat.PREFIX_BYTES);
        CRC32C crc = new CRC32C();
        crc.update(b, TrieFileFormat.PREFIX_BYTES, b.length - TrieFileFormat.PREFIX_BYTES);
        crc.update(b, TrieFileFormat.CHECKED_PREFIX_START, TrieFileFormat.PREFIX_BYTES - TrieFileFormat.CHECKED_PREFIX_START);
        buf.putInt(12, (int) crc.getValue());
        return b;
    }

    private static ObjectNode metadata(byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int offset = (int) buf.getLong(24), length = (int) buf.getLong(32);
        return (ObjectNode) JSON.readTree(Arrays.copyOfRange(b, offset, offset + length));
    }

    private static ObjectNode group(ObjectNode meta, int index) {
        return (ObjectNode) meta.get("groups").get(index);
    }

    /** The file with its metadata (the last block) replaced by {@code json}, not resealed. */
    private static byte[] spliceMetadata(byte[] b, byte[] json) {
        int offset = (int) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(24);
        byte[] out = Arrays.copyOf(b, offset + json.length);
        System.arraycopy(json, 0, out, offset, json.length);
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(32, json.length);
        return out;
    }

    private static byte[] withMetadata(byte[] b, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode meta = metadata(b);
        edit.accept(meta);
        return reseal(spliceMetadata(b, JSON.writeValueAsBytes(meta)));
    }

    private static long sectionOffset(byte[] b, String section) throws IOException {
        return group(metadata(b), 0).get("sections").get(section).get("offset").asLong();
    }

    private static int intAt(byte[] b, String section, int index) throws IOException {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt((int) sectionOffset(b, section) + 4 * index);
    }

    private static byte[] withInt(byte[] b, String section, int index, int value) throws IOException {
        byte[] out = b.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt((int) sectionOffset(b, section) + 4 * index, value);
        return reseal(out);
    }
}
