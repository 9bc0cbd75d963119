package org.longbel.core.safetensors;

import org.longbel.core.CheckpointException;
import org.longbel.core.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One safetensors file mapped read-only into memory. Its tensors are slices of the mapping: nothing is
 * copied onto the heap. The mapping lives as long as the {@link Arena} given to {@link #open}.
 */
public final class SafetensorsFile {

    /** Upper bound on the JSON header, as in the reference implementation (100 MB). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private final Path path;
    private final long fileSize;
    private final SafetensorsHeader header;
    private final Map<String, Tensor> tensors;

    private SafetensorsFile(Path path, long fileSize, SafetensorsHeader header, Map<String, Tensor> tensors) {
        this.path = path;
        this.fileSize = fileSize;
        this.header = header;
        this.tensors = tensors;
    }

    /**
     * Maps {@code file} into {@code arena} and validates its header against the file size.
     *
     * @throws CheckpointException naming the file (and the tensor) if the file is unreadable, truncated
     *                             or inconsistent
     */
    public static SafetensorsFile open(Path file, Arena arena) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < Long.BYTES) {
                throw new CheckpointException(file + ": file is " + size
                        + " bytes, too short for the 8-byte safetensors header length; the file is truncated");
            }
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long headerLength = mapped.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
                throw new CheckpointException(file + ": safetensors header length " + Long.toUnsignedString(headerLength)
                        + " is out of range (2.." + MAX_HEADER_BYTES + "); this is not a safetensors file or it is corrupt");
            }
            if (headerLength > size - Long.BYTES) {
                throw new CheckpointException(file + ": safetensors header length " + headerLength + " runs past the end of the "
                        + size + "-byte file; the file is truncated");
            }
            long dataStart = Long.BYTES + headerLength;
            byte[] json = mapped.asSlice(Long.BYTES, headerLength).toArray(ValueLayout.JAVA_BYTE);
            SafetensorsHeader header = SafetensorsHeader.parse(file, json, size - dataStart);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (TensorEntry e : header.tensors()) {
                MemorySegment data = mapped.asSlice(dataStart + e.begin(), e.byteSize());
                tensors.put(e.name(), new Tensor(e.name(), e.dtype(), e.shape().clone(), data));
            }
            return new SafetensorsFile(file, size, header, Collections.unmodifiableMap(tensors));
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The file this was mapped from. */
    public Path path() { return path; }

    /** Size of the whole file in bytes (all of it is mapped). */
    public long fileSize() { return fileSize; }

    /** The parsed header. */
    public SafetensorsHeader header() { return header; }

    /** The {@code __metadata__} strings (empty if absent). */
    public Map<String, String> metadata() { return header.metadata(); }

    /** Every tensor by name, in header order. */
    public Map<String, Tensor> tensors() { return tensors; }
}
