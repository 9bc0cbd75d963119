package org.longbel.linker.output;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void theTemporaryFileNamesThisProcess() throws IOException {
        try (AtomicOutputFile f = new AtomicOutputFile(dir.resolve("out.jsonl"))) {
            String name = f.temp().getFileName().toString();
            assertTrue(name.matches("\\.out\\.jsonl\\." + ProcessHandle.current().pid() + "\\.[0-9a-f]+\\.partial"), name);
            assertEquals(dir, f.temp().getParent());
        }
    }

    @Test
    void staleTemporaryFilesOfDeadProcessesAreRemoved() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        long dead = ended.pid();
        long alive = ProcessHandle.current().pid();
        Path deadTemp = Files.writeString(dir.resolve(".out.jsonl." + dead + ".1a2b.partial"), "half");
        Path liveTemp = Files.writeString(dir.resolve(".out.jsonl." + alive + ".3c4d.partial"), "being written");
        Path otherTarget = Files.writeString(dir.resolve(".out.jsonl.meta.json." + dead + ".5e6f.partial"), "x");
        Path notOurs = Files.writeString(dir.resolve(".out.jsonl.notapid.partial"), "x");
        Path oldStyle = Files.writeString(dir.resolve(".out.jsonl.7a8b.partial"), "x");
        try (AtomicOutputFile f = new AtomicOutputFile(dir.resolve("out.jsonl"))) {
            f.writer().write("new\n");
            f.commit();
        }
        assertFalse(Files.exists(deadTemp), "left by a process that is gone");
        assertTrue(Files.exists(liveTemp), "its process may still commit it");
        assertTrue(Files.exists(otherTarget), "another target's: removed when that target is written");
        assertTrue(Files.exists(notOurs));
        assertTrue(Files.exists(oldStyle), "no process id: cannot tell");
        assertEquals("new\n", Files.readString(dir.resolve("out.jsonl")));
    }

    @Test
    void discardedAtExitTheTemporaryFileIsGoneAndCannotBeCommitted() throws IOException {
        Path target = dir.resolve("out.jsonl");
        Files.writeString(target, "old\n");
        try (AtomicOutputFile f = new AtomicOutputFile(target)) {
            f.writer().write("half");
            f.discard();   // what the shutdown hook does
            assertFalse(Files.exists(f.temp()));
            OutputWriteException e = assertThrows(OutputWriteException.class, f::commit);
            assertEquals("cannot write " + target + ": the program is exiting (interrupted)", e.getMessage());
        }
        assertEquals("old\n", Files.readString(target));
        assertEquals(1, files());
    }

    @Test
    void anUnwritableDirectoryIsNamed() throws IOException {
        Path parent = dir.resolve("file");
        Files.writeString(parent, "x");
        OutputWriteException e = assertThrows(OutputWriteException.class, () -> new AtomicOutputFile(parent.resolve("out.jsonl")));
        assertEquals("cannot write " + parent.resolve("out.jsonl") + ": " + parent + " is in the way: not a directory",
                e.getMessage());
        assertEquals(1, files());
    }

    @Test
    void aDirectoryInTheWayIsNamed() throws IOException {
        Path target = dir.resolve("taken");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "x");
        try (AtomicOutputFile f = new AtomicOutputFile(target)) {
            OutputWriteException e = assertThrows(OutputWriteException.class, f::commit);
            assertEquals("cannot write " + target + ": a directory of that name is in the way", e.getMessage());
        }
    }
}
