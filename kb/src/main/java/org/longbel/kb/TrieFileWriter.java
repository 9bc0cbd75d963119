package org.longbel.kb;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Writes a trie file ({@link TrieFileFormat}) to a temporary file beside the target, then renames it
 * in place, so a reader never sees a half-written file: a crash leaves at most a stray {@code .tmp}
 * file, and the header (magic included) is written last, so even that never passes for a trie file.
 * A process that still maps the previous file keeps reading it intact.
 */
final class TrieFileWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private long position = TrieFileFormat.PREFIX_BYTES;

    private TrieFileWriter(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Writes {@code groups} with {@code metadata} (its {@code groups} field is filled in here).
     *
     * @return the metadata as written
     */
    static TrieFileMetadata write(Path out, List<GroupImage> groups, TrieFileMetadata metadata) {
        Path dir = out.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = dir.resolve(out.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
            TrieFileMetadata written;
            // CREATE_NEW with default attributes: the file gets the umask's permissions, like any output
            // file (Files.createTempFile would make it owner-only, and the rename would keep that).
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                written = new TrieFileWriter(ch).writeAll(groups, metadata);
                ch.force(true);
            }
            try {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trie file " + out + ": " + reason(e, dir, tmp), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the move succeeded or the error above is the one to report
                }
            }
        }
    }

    /**
     * What went wrong, in words: an {@link AccessDeniedException}'s message is only the path refused (here the
     * temporary file's), so it is said as the directory that is not writable.
     */
    static String reason(IOException e, Path dir, Path tmp) {
        if (e instanceof AccessDeniedException a) {
            return a.getFile() != null && tmp != null && Path.of(a.getFile()).equals(tmp)
                    ? "permission denied: directory " + dir + " is not writable"
                    : "permission denied: " + a.getFile();
        }
        return e.getMessage();
    }

    private TrieFileMetadata writeAll(List<GroupImage> groups, TrieFileMetadata metadata) throws IOException {
        channel.position(TrieFileFormat.PREFIX_BYTES);
        List<TrieFileMetadata.Group> described = new ArrayList<>();
        for (GroupImage g : groups) {
            Map<String, TrieFileMetadata.Section> s = new LinkedHashMap<>();
            TrieArrays t = g.trie;
            s.put(TrieFileFormat.FIRST_EDGE, ints(t.firstEdge()));
            s.put(TrieFileFormat.EDGE_TOKEN, ints(t.edgeToken()));
            s.put(TrieFileFormat.ENTRY_BITS, longs(t.entryBits()));
            s.put(TrieFileFormat.ENTRY_RANK, ints(t.entryRank()));
            s.put(TrieFileFormat.NAME_OFFSETS, ints(g.nameOffsets));
            s.put(TrieFileFormat.NAME_BYTES, bytes(g.nameBytes));
            s.put(TrieFileFormat.NAME_ORDER, ints(g.nameOrder));
            s.put(TrieFileFormat.ENTRY_CODE, ints(g.entryCode));
            s.put(TrieFileFormat.CODE_OFFSETS, ints(g.codeOffsets));
            s.put(TrieFileFormat.CODE_BYTES, bytes(g.codeBytes));
            s.put(TrieFileFormat.CODE_FIRST, ints(g.codeFirst));
            s.put(TrieFileFormat.CODE_ENTRIES, ints(g.codeEntries));
            described.add(new TrieFileMetadata.Group(g.name, t.entryCount(), t.nodeCount(), g.codeCount(), s));
        }
        TrieFileMetadata full = new TrieFileMetadata(TrieFileFormat.VERSION, metadata.tokenizerFingerprint(),
                metadata.bosId(), metadata.eosId(), metadata.source(), metadata.conflicts(), metadata.duplicates(),
                metadata.collisions(), metadata.builtAt(), described);
        byte[] json = JSON.writeValueAsBytes(full);
        long metaOffset = position;
        bytes(json);
        flush();

        ByteBuffer checked = ByteBuffer.allocate(TrieFileFormat.PREFIX_BYTES - TrieFileFormat.CHECKED_PREFIX_START)
                .order(ByteOrder.LITTLE_ENDIAN);
        checked.putLong(position - TrieFileFormat.PREFIX_BYTES).putLong(metaOffset).putLong(json.length).putLong(0).flip();
        crc.update(checked.duplicate());
        ByteBuffer prefix = ByteBuffer.allocate(TrieFileFormat.PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        prefix.put(TrieFileFormat.MAGIC).putInt(TrieFileFormat.VERSION).putInt((int) crc.getValue()).put(checked).flip();
        channel.write(prefix, 0);
        return full;
    }

    private TrieFileMetadata.Section ints(int[] values) throws IOException {
        return elements(values.length, Integer.BYTES, (b, i) -> b.putInt(values[i]));
    }

    private TrieFileMetadata.Section longs(long[] values) throws IOException {
        return elements(values.length, Long.BYTES, (b, i) -> b.putLong(values[i]));
    }

    /** Puts element {@code i} of an array into the buffer. */
    @FunctionalInterface
    private interface ElementWriter {
        void put(ByteBuffer buffer, int i);
    }

    /** Writes {@code count} elements of {@code width} bytes each, then aligns. */
    private TrieFileMetadata.Section elements(int count, int width, ElementWriter element) throws IOException {
        long start = position;
        for (int i = 0; i < count; i++) {
            if (buffer.remaining() < width) flush();
            element.put(buffer, i);
            position += width;
        }
        align();
        return new TrieFileMetadata.Section(start, (long) count * width);
    }

    private TrieFileMetadata.Section bytes(byte[] values) throws IOException {
        long start = position;
        int at = 0;
        while (at < values.length) {
            if (!buffer.hasRemaining()) flush();
            int n = Math.min(buffer.remaining(), values.length - at);
            buffer.put(values, at, n);
            at += n;
        }
        position += values.length;
        align();
        return new TrieFileMetadata.Section(start, values.length);
    }

    /** Pads with zeros to the next multiple of 8, so every array is aligned for its element type. */
    private void align() throws IOException {
        while ((position & 7) != 0) {
            if (!buffer.hasRemaining()) flush();
            buffer.put((byte) 0);
            position++;
        }
    }

    private void flush() throws IOException {
        buffer.flip();
        crc.update(buffer.duplicate());
        while (buffer.hasRemaining()) channel.write(buffer);
        buffer.clear();
    }
}
