package org.longbel.linker.output;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file written atomically: the text goes to a temporary file in the same directory, which {@link #commit()} renames
 * onto the target ({@code ATOMIC_MOVE}), so the target is either the old file or the complete new one, never half a
 * file. Closing without a commit (an error) deletes the temporary file, and so does the JVM's exit (Ctrl-C, SIGTERM:
 * {@link PendingTemps}).
 *
 * <p>The temporary file is {@code .NAME.PID.RANDOM.partial} (PID: this process). Only a process killed outright
 * (SIGKILL, a power cut) leaves one behind; the next {@code AtomicOutputFile} for the same target deletes those whose
 * process is no longer alive.
 *
 * <p>Every failure to write (disk full, file-size limit, read-only or unwritable directory) is an
 * {@link OutputWriteException} naming the target and the cause.
 */
public final class AtomicOutputFile implements AutoCloseable {
    private static final String SUFFIX = ".partial";
    private static final Pattern TEMP_ID = Pattern.compile("(\\d+)\\.[0-9a-f]+");

    private final Path target;
    private final Path temp;
    private final OutputStream stream;
    private final BufferedWriter writer;
    private boolean committed;
    private boolean discarded;

    /** Creates the temporary file beside {@code target} (and the missing parent directories). */
    public AtomicOutputFile(Path target) throws IOException {
        this.target = target.toAbsolutePath().normalize();
        Path dir = this.target.getParent();
        String name = this.target.getFileName().toString();
        this.temp = dir.resolve("." + name + "." + ProcessHandle.current().pid() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + SUFFIX);
        try {
            Files.createDirectories(dir);
            removeStaleTemps(dir, name);
            OutputStream file = PendingTemps.create(this, temp);
            this.stream = new BufferedOutputStream(new NamingErrors(file), 1 << 16);
        } catch (IOException e) {
            throw OutputWriteException.of(this.target, temp, e);
        }
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
        if (discarded) throw OutputWriteException.exiting(target);
        try {
            writer.close();
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + temp + " to " + target + " atomically: " + e.getMessage(), e);
        } catch (IOException e) {
            throw OutputWriteException.of(target, temp, e);
        }
        committed = true;
        PendingTemps.done(this);
    }

    /** Deletes the temporary file unless committed. */
    @Override
    public synchronized void close() throws IOException {
        if (committed || discarded) return;
        try {
            writer.close();
        } catch (IOException e) {
            throw OutputWriteException.of(target, temp, e);
        } finally {
            Files.deleteIfExists(temp);
            PendingTemps.done(this);
        }
    }

    /** From the shutdown hook: deletes the temporary file first (the JVM may halt at any moment), then closes it. */
    synchronized void discard() {
        if (committed || discarded) return;
        discarded = true;
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // best effort: the JVM is exiting
        }
        try {
            stream.close();
        } catch (IOException ignored) {
            // the file is gone
        }
    }

    /**
     * Deletes {@code .NAME.PID.RANDOM.partial} files in {@code dir} whose process is gone (killed before it ended);
     * best effort: a directory that cannot be listed keeps them.
     */
    static void removeStaleTemps(Path dir, String name) {
        String prefix = "." + name + ".";
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p -> {
            String f = p.getFileName().toString();
            return f.length() > prefix.length() + SUFFIX.length() && f.startsWith(prefix) && f.endsWith(SUFFIX);
        })) {
            for (Path f : files) {
                String s = f.getFileName().toString();
                Matcher m = TEMP_ID.matcher(s.substring(prefix.length(), s.length() - SUFFIX.length()));
                if (!m.matches()) continue;   // another file's temporary (NAME.meta.json) or not one of ours
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // not ours to delete (another user's directory entry): it stays, as before
                }
            }
        } catch (IOException | DirectoryIteratorException unlistable) {
            // nothing removed; writing the new file decides whether the directory is usable
        }
    }

    /** The file's stream, its errors turned into {@link OutputWriteException}s naming the target. */
    private final class NamingErrors extends FilterOutputStream {
        NamingErrors(OutputStream out) {
            super(out);
        }

        @Override public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw OutputWriteException.of(target, temp, e);
            }
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw OutputWriteException.of(target, temp, e);
            }
        }

        @Override public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw OutputWriteException.of(target, temp, e);
            }
        }

        @Override public void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                throw OutputWriteException.of(target, temp, e);
            }
        }
    }
}
