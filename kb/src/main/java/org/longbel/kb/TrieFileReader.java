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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
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
        if (offset < TrieFileFormat.PREFIX_BYTES || length <= 0 || offset + length > seg.byteSize() || length > Integer.MAX_VALUE) {
            throw new KbException("trie file " + file + " is damaged: metadata at " + offset + " (+" + length + " bytes) lies outside the file");
        }
        try {
            return JSON.readValue(seg.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), TrieFileMetadata.class);
        } catch (IOException e) {
            throw new KbException("trie file " + file + " is damaged: unreadable metadata: " + e.getMessage(), e);
        }
    }

    private static KnowledgeBase.Group group(Path file, MemorySegment seg, TrieFileMetadata.Group g) {
        MappedTokenTrie trie = new MappedTokenTrie(g.nodes(),
                slice(file, seg, g, TrieFileFormat.FIRST_EDGE, (g.nodes() + 1L) * 4),
                slice(file, seg, g, TrieFileFormat.EDGE_TOKEN, (g.nodes() - 1L) * 4),
                slice(file, seg, g, TrieFileFormat.ENTRY_BITS, ((g.nodes() + 63L) >>> 6) * 8),
                slice(file, seg, g, TrieFileFormat.ENTRY_RANK, ((g.nodes() + 63L) >>> 6) * 4));
        GroupTables tables = new GroupTables(g.entries(), g.codes(),
                slice(file, seg, g, TrieFileFormat.NAME_OFFSETS, (g.entries() + 1L) * 4),
                slice(file, seg, g, TrieFileFormat.NAME_BYTES, -1),
                slice(file, seg, g, TrieFileFormat.NAME_ORDER, g.entries() * 4L),
                slice(file, seg, g, TrieFileFormat.ENTRY_CODE, g.entries() * 4L),
                slice(file, seg, g, TrieFileFormat.CODE_OFFSETS, (g.codes() + 1L) * 4),
                slice(file, seg, g, TrieFileFormat.CODE_BYTES, -1),
                slice(file, seg, g, TrieFileFormat.CODE_FIRST, (g.codes() + 1L) * 4),
                slice(file, seg, g, TrieFileFormat.CODE_ENTRIES, g.entries() * 4L));
        return new KnowledgeBase.Group(g.name(), trie, tables);
    }

    /** The section's bytes; {@code expectedBytes} -1 skips the length check (byte blobs). */
    private static MemorySegment slice(Path file, MemorySegment seg, TrieFileMetadata.Group g, String name, long expectedBytes) {
        TrieFileMetadata.Section s = g.sections() == null ? null : g.sections().get(name);
        if (s == null) throw new KbException("trie file " + file + " is damaged: group \"" + g.name() + "\" has no section " + name);
        boolean misplaced = s.offset() < TrieFileFormat.PREFIX_BYTES || s.bytes() < 0 || s.offset() + s.bytes() > seg.byteSize()
                || (s.offset() & 7) != 0 || (expectedBytes >= 0 && s.bytes() != expectedBytes);
        if (misplaced) {
            throw new KbException("trie file " + file + " is damaged: section " + name + " of group \"" + g.name()
                    + "\" at " + s.offset() + " (+" + s.bytes() + " bytes) does not fit");
        }
        return seg.asSlice(s.offset(), s.bytes());
    }
}
