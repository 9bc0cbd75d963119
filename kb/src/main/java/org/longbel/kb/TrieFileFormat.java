package org.longbel.kb;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Layout of a trie file (little-endian):
 * <pre>
 *  0  8 bytes  magic "LBELTRIE"
 *  8  int      format version ({@link #VERSION})
 * 12  int      CRC32C of bytes [{@link #PREFIX_BYTES}, end of file) followed by bytes [16, 48)
 * 16  long     payload length = file size - {@link #PREFIX_BYTES}
 * 24  long     offset of the metadata JSON ({@link TrieFileMetadata})
 * 32  long     length of the metadata JSON in bytes
 * 40  long     reserved (0)
 * 48  ...      per group, the arrays named in {@link #SECTIONS}, each starting at a multiple of 8;
 *              then the metadata JSON (UTF-8)
 * </pre>
 * The checksum covers every byte but the magic, the version and itself: the payload, metadata
 * included, then the prefix fields after the checksum.
 */
final class TrieFileFormat {
    private TrieFileFormat() {}

    static final byte[] MAGIC = {'L', 'B', 'E', 'L', 'T', 'R', 'I', 'E'};
    static final int VERSION = 1;
    static final int PREFIX_BYTES = 48;
    /** First prefix byte covered by the checksum. */
    static final int CHECKED_PREFIX_START = 16;

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Trie: int[nodes + 1], first edge of each node. */
    static final String FIRST_EDGE = "firstEdge";
    /** Trie: int[nodes - 1], token of each edge (edge e leads to node e + 1). */
    static final String EDGE_TOKEN = "edgeToken";
    /** Trie: long[ceil(nodes / 64)], bit n set when an entry ends at node n. */
    static final String ENTRY_BITS = "entryBits";
    /** Trie: int[ceil(nodes / 64)], entries before each word of entryBits. */
    static final String ENTRY_RANK = "entryRank";
    /** Names: int[entries + 1], byte offset of each name in NAME_BYTES. */
    static final String NAME_OFFSETS = "nameOffsets";
    /** Names: UTF-8 bytes of every name in entry order. */
    static final String NAME_BYTES = "nameBytes";
    /** Names: int[entries], entries sorted by name bytes (unsigned), for name lookups. */
    static final String NAME_ORDER = "nameOrder";
    /** Codes: int[entries], code id of each entry. */
    static final String ENTRY_CODE = "entryCode";
    /** Codes: int[codes + 1], byte offset of each distinct code (ids in ascending byte order). */
    static final String CODE_OFFSETS = "codeOffsets";
    /** Codes: UTF-8 bytes of the distinct codes. */
    static final String CODE_BYTES = "codeBytes";
    /** Codes: int[codes + 1], first position in CODE_ENTRIES of each code. */
    static final String CODE_FIRST = "codeFirst";
    /** Codes: int[entries], entries grouped by code id, ascending within a code. */
    static final String CODE_ENTRIES = "codeEntries";

    static final List<String> SECTIONS = List.of(FIRST_EDGE, EDGE_TOKEN, ENTRY_BITS, ENTRY_RANK, NAME_OFFSETS,
            NAME_BYTES, NAME_ORDER, ENTRY_CODE, CODE_OFFSETS, CODE_BYTES, CODE_FIRST, CODE_ENTRIES);
}
