package org.longbel.linker.output;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file written atomically: the text goes to a temporary file in the same directory, which
 * {@link #commit()} renames onto the target ({@code ATOMIC_MOVE}). Closing without a commit (an
 * error, Ctrl-C) deletes the temporary file, so the target is either the old file or the complete
 * new one, never half a file.
 */
public final class AtomicOutputFile implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final OutputStream stream;
    private final BufferedWriter writer;
    private boolean committed;

    /** Creates the temporary file beside {@code target} (and the missing parent directories). */
    public AtomicOutputFile(Path target) throws IOException {
        this.target = target.toAbsolutePath().normalize();
        Path dir = this.target.getParent();
        Files.createDirectories(dir);
        this.temp = dir.resolve("." + this.target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".partial");
        // created and opened in one call, so a failure cannot leave an empty temporary file behind;
        // created like any new file (the umask decides its permissions, unlike createTempFile's 0600)
        this.stream = new BufferedOutputStream(Files.newOutputStream(temp,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16);
        this.writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    }

    /** The writer of the temporary file. */
    public BufferedWriter writer() {
        return writer;
    }

    /**
     * The temporary file as bytes (a binary file: an image). Use it or {@link #writer()}, not both; closing it does
     * nothing ({@link #commit()} closes the file).
     */
    public OutputStream outputStream() {
        return new FilterOutputStream(stream) {
            @Override public void write(byte[] b, int off, int len) throws IOException { stream.write(b, off, len); }
            @Override public void close() throws IOException { stream.flush(); }
        };
    }

    /** The final path. */
    public Path target() {
        return target;
    }

    /** The temporary file (deleted unless committed). */
    public Path temp() {
        return temp;
    }

    /** Flushes, closes and renames the temporary file onto the target. */
    public synchronized void commit() throws IOException {
        writer.close();
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + temp + " to " + target + " atomically: " + e.getMessage(), e);
        }
        committed = true;
    }

    /** Deletes the temporary file unless committed (safe to call from a shutdown hook). */
    @Override
    public synchronized void close() throws IOException {
        if (committed) return;
        try {
            writer.close();
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
