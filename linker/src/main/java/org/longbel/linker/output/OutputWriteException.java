package org.longbel.linker.output;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * An output file that could not be written, with a one-line message naming the file and the cause a user can act on:
 * {@code cannot write /x/out.jsonl: disk full (no space left on device)}, {@code ...: file too large (...)},
 * {@code ...: read-only file system}, {@code ...: permission denied: directory /x is not writable}. The operating
 * system's exception is the cause.
 */
public final class OutputWriteException extends IOException {
    private final Path target;

    private OutputWriteException(Path target, String reason, IOException cause) {
        super("cannot write " + target + ": " + reason, cause);
        this.target = target;
    }

    /** The file that was not written. */
    public Path target() {
        return target;
    }

    /** The program is exiting (Ctrl-C, SIGTERM): the file's temporary file was deleted before its commit. */
    static OutputWriteException exiting(Path target) {
        return new OutputWriteException(target, "the program is exiting (interrupted)", null);
    }

    /**
     * {@code e}, raised while writing {@code target} through {@code temp} (its temporary file beside it, or null), as
     * an {@code OutputWriteException} ({@code e} itself when it already is one).
     */
    static OutputWriteException of(Path target, Path temp, IOException e) {
        if (e instanceof OutputWriteException w) return w;
        return new OutputWriteException(target, reason(target, temp, e), e);
    }

    private static String reason(Path target, Path temp, IOException e) {
        String os = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getMessage() != null ? e.getMessage() : "";
        String lower = os.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left")) return "disk full (no space left on device)";
        if (lower.contains("file too large")) {
            return "file too large (the file-size limit of this process, ulimit -f, or the largest file of the file system)";
        }
        if (lower.contains("quota")) return "disk quota exceeded";
        if (lower.contains("read-only file system")) return "read-only file system";
        if (e instanceof AccessDeniedException a) {
            Path denied = a.getFile() == null ? null : Path.of(a.getFile());
            return denied == null || denied.equals(temp) || denied.equals(target)
                    ? "permission denied: directory " + target.getParent() + " is not writable"
                    : "permission denied: cannot create directory " + denied;
        }
        if (Files.isDirectory(target)) return "a directory of that name is in the way";
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            return ((FileSystemException) e).getFile() + " is in the way: not a directory";
        }
        if (e instanceof NoSuchFileException n) return "no such file or directory: " + n.getFile();
        // a FileSystemException's message names its file and the system's reason
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
