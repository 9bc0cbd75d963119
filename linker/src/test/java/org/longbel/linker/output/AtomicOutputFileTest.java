package org.longbel.linker.output;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class AtomicOutputFileTest {
    @TempDir
    Path dir;

    private long files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void commitReplacesTheTargetInOneStep() throws IOException {
        Path target = dir.resolve("out.jsonl");
        Files.writeString(target, "old\n");
        try (AtomicOutputFile f = new AtomicOutputFile(target)) {
            f.writer().write("new\n");
            f.writer().flush();
            assertEquals("old\n", Files.readString(target));
            f.commit();
        }
        assertEquals("new\n", Files.readString(target));
        assertEquals(1, files());
    }

    @Test
    void closingWithoutCommitLeavesNothing() throws IOException {
        Path target = dir.resolve("out.jsonl");
        try (AtomicOutputFile f = new AtomicOutputFile(target)) {
            f.writer().write("half");
        }
        assertFalse(Files.exists(target));
        assertEquals(0, files());
    }
    @Test
    void aFailedCommitLeavesTheTargetAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("taken");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "x");
        try (AtomicOutputFile f = new AtomicOutputFile(target)) {
            f.writer().write("records\n");
            org.junit.jupiter.api.Assertions.assertThrows(IOException.class, f::commit);
        }
        assertEquals(1, files(), "only the directory that was already there");
        assertEquals("x", Files.readString(target.resolve("inside")));
    }
}
