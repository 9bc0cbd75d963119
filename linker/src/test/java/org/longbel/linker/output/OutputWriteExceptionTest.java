package org.longbel.linker.output;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The operating system's write errors (as the JDK reports them) become one line naming the file and the cause. */
class OutputWriteExceptionTest {
    private static final Path TARGET = Path.of("/data/run/out.jsonl");
    private static final Path TEMP = Path.of("/data/run/.out.jsonl.42.abc.partial");

    private static String message(IOException e) {
        return OutputWriteException.of(TARGET, TEMP, e).getMessage();
    }

    @Test
    void diskFull() {
        assertEquals("cannot write /data/run/out.jsonl: disk full (no space left on device)",
                message(new IOException("No space left on device")));
        assertEquals("cannot write /data/run/out.jsonl: disk full (no space left on device)",
                message(new FileSystemException(TEMP.toString(), null, "No space left on device")));
    }

    @Test
    void fileTooLarge() {
        assertEquals("cannot write /data/run/out.jsonl: file too large (the file-size limit of this process, ulimit -f, "
                + "or the largest file of the file system)", message(new IOException("File too large")));
    }

    @Test
    void quota() {
        assertEquals("cannot write /data/run/out.jsonl: disk quota exceeded", message(new IOException("Disk quota exceeded")));
    }

    @Test
    void readOnlyFileSystem() {
        assertEquals("cannot write /data/run/out.jsonl: read-only file system",
                message(new FileSystemException(TEMP.toString(), null, "Read-only file system")));
    }

    @Test
    void permissionDenied() {
        assertEquals("cannot write /data/run/out.jsonl: permission denied: directory /data/run is not writable",
                message(new AccessDeniedException(TEMP.toString())));
        assertEquals("cannot write /data/run/out.jsonl: permission denied: cannot create directory /data",
                message(new AccessDeniedException("/data")));
    }

    @Test
    void otherErrorsKeepTheSystemsWords() {
        assertEquals("cannot write /data/run/out.jsonl: no such file or directory: " + TEMP,
                message(new NoSuchFileException(TEMP.toString())));
        assertEquals("cannot write /data/run/out.jsonl: Input/output error", message(new IOException("Input/output error")));
        assertEquals("cannot write /data/run/out.jsonl: IOException", message(new IOException()));
    }

    @Test
    void alreadyNamedIsKept() {
        OutputWriteException named = OutputWriteException.of(TARGET, TEMP, new IOException("File too large"));
        assertSame(named, OutputWriteException.of(Path.of("/other"), null, named));
        assertEquals(TARGET, named.target());
    }
}
