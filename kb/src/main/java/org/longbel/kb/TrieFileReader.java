package org.longbel.kb;

import static org.longbel.kb.TrieFileFormat.INT;
import static org.longbel.kb.TrieFileFormat.LONG;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Maps a trie file into memory (no heap copy of its arrays) after checking its prefix, size and
 * CRC32C checksum, and exposes each group's arrays as slices of the mapping.
 */
final class TrieFileReader {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final long CRC_CHUNK = 1L << 30;

    private TrieFileReader() {}

    /** Whether {@code file} starts with the trie file magic. */
    static boolean isTrieFile(Path file) {
        if (!Files.isRegularFile(file)) return false;
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(TrieFileFormat.MAGIC.length), TrieFileFormat.MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads only the metadata, after the same checks as {@link #open} but without the checksum. */
    static TrieFileMetadata readMetadata(Path file) {
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            checkPrefix(file, seg);
            return metadata(file, seg);
        } catch (NoSuchFileException e) {
            throw new KbException("trie file " + file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trie file " + file + ": " + e.getMessage(), e);
        }
    }

    static KnowledgeBase open(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            checkPrefix(file, seg);
            verifyChecksum(file, seg);
            TrieFileMetadata meta = metadata(file, seg);
            Map<String, KnowledgeBase.Group> groups = new LinkedHashMap<>();
            for (TrieFileMetadata.Group g : meta.groups()) groups.put(g.name(), group(file, seg, g));
            return new KnowledgeBase(file, arena, meta, groups);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new KbException("trie file " + file + " does not exist");
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot read trie file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static void checkPrefix(Path file, MemorySegment seg) {
        long size = seg.byteSize();
        if (size < TrieFileFormat.PREFIX_BYTES) {
            throw new KbException("trie file " + file + " is truncated: " + size + " bytes, shorter than its " + TrieFileFormat.PREFIX_BYTES + "-byte header");
        }
        byte[] magic = seg.asSlice(0, TrieFileFormat.MAGIC.length).toArray(ValueLayout.JAVA_BYTE);
        if (!Arrays.equals(magic, TrieFileFormat.MAGIC)) {
            throw new KbException(file + " is not a LongBEL trie file (its first bytes are not \"LBELTRIE\")");
        }
        int version = seg.get(INT, 8);
        if (version != TrieFileFormat.VERSION) {
            throw new KbException("trie file " + file + " has format version " + version + "; this build reads version "
                    + TrieFileFormat.VERSION + ": rebuild it with `longbel kb build`");
        }
        long payload = seg.get(LONG, 16);
        if (payload != size - TrieFileFormat.PREFIX_BYTES) {
            throw new KbException("trie file " + file + " is truncated or damaged: its header announces "
                    + (payload + TrieFileFormat.PREFIX_BYTES) + " bytes, the file has " + size + ": rebuild it with `longbel kb build`");
        }
    }

    private static void verifyChecksum(Path file, MemorySegment seg) {
        CRC32C crc = new CRC32C();
        for (long at = TrieFileFormat.PREFIX_BYTES; at < seg.byteSize(); at += CRC_CHUNK) {
            crc.update(seg.asSlice(at, Math.min(CRC_CHUNK, seg.byteSize() - at)).asByteBuffer());
        }
        crc.update(seg.asSlice(TrieFileFormat.CHECKED_PREFIX_START, TrieFileFormat.PREFIX_BYTES - TrieFileFormat.CHECKED_PREFIX_START).asByteBuffer());
        int expected = seg.get(INT, 12);
        if ((int) crc.getValue() != expected) {
            throw new KbException(String.format("trie file %s is corrupted: CRC32C checksum %08x, header says %08x: rebuild it with `longbel kb build`",
                    file, (int) crc.getValue(), expected));
        }
    }

    /** The metadata JSON, in a file whose prefix has been checked. */
    private static TrieFileMetadata metadata(Path file, MemorySegment seg) {
        long offset = seg.get(LONG, 24), length = seg.get(LONG, 32);
        if (!fits(offset, length, seg) || length == 0 || length > Integer.MAX_VALUE) {
            throw new KbException("trie file " + file + " is damaged: metadata at " + offset + " (+" + length + " bytes) lies outside the file");
        }
        TrieFileMetadata meta;
        try {
            meta = JSON.readValue(seg.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), TrieFileMetadata.class);
        } catch (IOException e) {
            throw new KbException("trie file " + file + " is damaged: unreadable metadata: " + oneLine(e.getMessage()), e);
        }
        checkMetadata(file, meta);
        return meta;
    }

    /** The fields that the loader and {@link #open} rely on are present, group names are distinct, source paths are paths. */
    private static void checkMetadata(Path file, TrieFileMetadata m) {
        String damaged = "trie file " + file + " is damaged: its metadata ";
        if (m == null) throw new KbException(damaged + "is null");
        TrieFileMetadata.SourceInfo source = m.source();
        if (source == null || source.kind() == null || source.options() == null || source.files() == null) {
            throw new KbException(damaged + "lacks the source it was built from (kind, options, files)");
        }
        for (TrieFileMetadata.SourceFile f : source.files()) {
            if (f == null || f.path() == null) throw new KbException(damaged + "lists a source file without a path");
            try {
                Path.of(f.path());
            } catch (InvalidPathException e) {
                throw new KbException(damaged + "lists a source file that is no path: " + e.getMessage());
            }
        }
        if (m.groups() == null) throw new KbException(damaged + "lacks the list of groups");
        Set<String> names = new HashSet<>();
        for (TrieFileMetadata.Group g : m.groups()) {
            if (g == null || g.name() == null) throw new KbException(damaged + "lists a group without a name");
            if (!names.add(g.name())) throw new KbException(damaged + "lists group \"" + g.name() + "\" twice");
        }
    }

    /** Whether {@code bytes} bytes from {@code offset} lie after the prefix and inside the file (no overflow). */
    private static boolean fits(long offset, long bytes, MemorySegment seg) {
        return offset >= TrieFileFormat.PREFIX_BYTES && bytes >= 0 && offset <= seg.byteSize() - bytes;
    }

    /** Jackson's multi-line messages (a source excerpt on the next line) on one line. */
    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * A group's trie and tables over its sections, once the counts, the section bounds and the values in the
     * arrays are checked ({@link TrieFileValidator}): queries on the result never leave the arrays.
     */
    private static KnowledgeBase.Group group(Path file, MemorySegment seg, TrieFileMetadata.Group g) {
        int nodes = g.nodes(), entries = g.entries(), codes = g.codes();
        if (nodes < 1 || entries < 0 || codes < 0) {
            throw new KbException("trie file " + file + " is damaged: group \"" + g.name() + "\" has " + nodes + " nodes, "
                    + entries + " entries and " + codes + " codes (at least 1 node, no negative count)");
        }
        MemorySegment firstEdge = slice(file, seg, g, TrieFileFormat.FIRST_EDGE, (nodes + 1L) * 4);
        MemorySegment edgeToken = slice(file, seg, g, TrieFileFormat.EDGE_TOKEN, (nodes - 1L) * 4);
        MemorySegment entryBits = slice(file, seg, g, TrieFileFormat.ENTRY_BITS, ((nodes + 63L) >>> 6) * 8);
        MemorySegment entryRank = slice(file, seg, g, TrieFileFormat.ENTRY_RANK, ((nodes + 63L) >>> 6) * 4);
        TrieFileValidator.trie(file, g.name(), nodes, entries, firstEdge, edgeToken, entryBits, entryRank);
        MemorySegment nameOffsets = slice(file, seg, g, TrieFileFormat.NAME_OFFSETS, (entries + 1L) * 4);
        MemorySegment nameBytes = slice(file, seg, g, TrieFileFormat.NAME_BYTES, -1);
        MemorySegment nameOrder = slice(file, seg, g, TrieFileFormat.NAME_ORDER, entries * 4L);
        MemorySegment entryCode = slice(file, seg, g, TrieFileFormat.ENTRY_CODE, entries * 4L);
        MemorySegment codeOffsets = slice(file, seg, g, TrieFileFormat.CODE_OFFSETS, (codes + 1L) * 4);
        MemorySegment codeBytes = slice(file, seg, g, TrieFileFormat.CODE_BYTES, -1);
        MemorySegment codeFirst = slice(file, seg, g, TrieFileFormat.CODE_FIRST, (codes + 1L) * 4);
        MemorySegment codeEntries = slice(file, seg, g, TrieFileFormat.CODE_ENTRIES, entries * 4L);
        TrieFileValidator.tables(file, g.name(), entries, codes, nameOffsets, nameBytes, nameOrder, entryCode,
                codeOffsets, codeBytes, codeFirst, codeEntries);
        return new KnowledgeBase.Group(g.name(), new MappedTokenTrie(nodes, firstEdge, edgeToken, entryBits, entryRank),
                new GroupTables(entries, codes, nameOffsets, nameBytes, nameOrder, entryCode, codeOffsets, codeBytes,
                        codeFirst, codeEntries));
    }

    /** The section's bytes; {@code expectedBytes} -1 skips the length check (byte blobs, whose ends the offsets check). */
    private static MemorySegment slice(Path file, MemorySegment seg, TrieFileMetadata.Group g, String name, long expectedBytes) {
        TrieFileMetadata.Section s = g.sections() == null ? null : g.sections().get(name);
        if (s == null) throw new KbException("trie file " + file + " is damaged: group \"" + g.name() + "\" has no section " + name);
        boolean misplaced = !fits(s.offset(), s.bytes(), seg) || (s.offset() & 7) != 0
                || (expectedBytes >= 0 && s.bytes() != expectedBytes);
        if (misplaced) {
            throw new KbException("trie file " + file + " is damaged: section " + name + " of group \"" + g.name()
                    + "\" at " + s.offset() + " (+" + s.bytes() + " bytes) does not fit");
        }
        return seg.asSlice(s.offset(), s.bytes());
    }
}
