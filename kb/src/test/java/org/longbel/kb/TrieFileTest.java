package org.longbel.kb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrieFileTest {
    @TempDir Path dir;
    Path trie;

    @BeforeEach
    void build() {
        Path src = TestKbs.write(dir, "kb.json", "{\"G\": {\"alpha\": \"C1\", \"beta\": \"C2\"}, \"H\": {\"gamma\": \"C3\"}}");
        trie = dir.resolve("kb.trie");
        KbBuilder.Report r = new KbLoader(TestKbs.CODE_POINTS, "fp").build(KbSource.detect(src), trie);
        assertEquals(3, r.entries());
        assertEquals(2, r.groups());
    }

    @Test
    void roundTripsMetadata() throws IOException {
        assertTrue(TrieFileReader.isTrieFile(trie));
        try (KnowledgeBase kb = KnowledgeBase.open(trie)) {
            TrieFileMetadata m = kb.metadata();
            assertEquals(TrieFileFormat.VERSION, m.formatVersion());
            assertEquals("fp", m.tokenizerFingerprint());
            assertEquals(TestKbs.EOS, kb.eosId());
            assertEquals("text_to_code.json", m.source().kind());
            assertEquals(Files.size(dir.resolve("kb.json")), m.source().files().getFirst().size());
            assertEquals(kb.nodeCount("G"), m.groups().getFirst().nodes());
        }
    }

    @Test
    void everyFlippedByteIsDetected() throws IOException {
        byte[] good = Files.readAllBytes(trie);
        for (int at = 8; at < good.length; at += 7) {
            byte[] bad = good.clone();
            bad[at] ^= 0x10;
            Path f = Files.write(dir.resolve("bad.trie"), bad);
            KbException e = assertThrows(KbException.class, () -> KnowledgeBase.open(f), "byte " + at);
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        }
        byte[] bad = good.clone();
        bad[good.length - 3] ^= 1;
        Path f = Files.write(dir.resolve("bad.trie"), bad);
        KbException e = assertThrows(KbException.class, () -> KnowledgeBase.open(f));
        assertTrue(e.getMessage().contains("is corrupted: CRC32C checksum"), e.getMessage());
    }

    @Test
    void truncatedFileIsDetected() throws IOException {
        byte[] good = Files.readAllBytes(trie);
        Path f = Files.write(dir.resolve("short.trie"), Arrays.copyOf(good, good.length - 100));
        KbException e = assertThrows(KbException.class, () -> KnowledgeBase.open(f));
        assertTrue(e.getMessage().contains("is truncated or damaged: its header announces " + good.length + " bytes, the file has "
                + (good.length - 100)), e.getMessage());
        Path tiny = Files.write(dir.resolve("tiny.trie"), Arrays.copyOf(good, 20));
        e = assertThrows(KbException.class, () -> KnowledgeBase.open(tiny));
        assertTrue(e.getMessage().contains("is truncated: 20 bytes"), e.getMessage());
    }

    @Test
    void rebuildingReplacesTheFileWhileAnOldMappingStaysIntact() throws IOException {
        try (KnowledgeBase old = KnowledgeBase.open(trie)) {
            Path src = TestKbs.write(dir, "kb.json", "{\"G\": {\"alpha\": \"C9\", \"delta\": \"C4\"}}");
            new KbLoader(TestKbs.CODE_POINTS, "fp").build(KbSource.detect(src), trie);
            assertEquals("C1", old.code("G", "alpha"), "the old mapping is the old file, untouched");
            assertEquals(List.of("G", "H"), old.groups());
            try (KnowledgeBase fresh = KnowledgeBase.open(trie)) {
                assertEquals("C9", fresh.code("G", "alpha"));
                assertEquals(List.of("G"), fresh.groups());
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".tmp")).toList(), "no temporary file is left");
        }
    }

    @Test
    void failedWriteLeavesNoTemporaryFile() throws IOException {
        Path src = dir.resolve("kb.json");
        Path blocked = Files.createDirectories(dir.resolve("blocked.trie").resolve("inside"));
        assertThrows(java.io.UncheckedIOException.class,
                () -> new KbLoader(TestKbs.CODE_POINTS, "fp").build(KbSource.detect(src), blocked.getParent()));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void trieFileGetsTheUsualPermissionsOfANewFile() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(trie));
    }

    @Test
    void closingTwiceIsHarmlessAndLaterQueriesFail() {
        KnowledgeBase kb = KnowledgeBase.open(trie);
        kb.close();
        kb.close();
        assertThrows(IllegalStateException.class, () -> kb.code("G", "alpha"));
    }

    @Test
    void otherFilesAreRejected() throws IOException {
        Path f = TestKbs.write(dir, "x.trie", "{\"G\": {\"alpha\": \"C1\"}} and some more bytes to pass the header size");
        assertFalse(TrieFileReader.isTrieFile(f));
        KbException e = assertThrows(KbException.class, () -> KnowledgeBase.open(f));
        assertTrue(e.getMessage().contains("is not a LongBEL trie file"), e.getMessage());
        byte[] v2 = Files.readAllBytes(trie);
        v2[8] = 2;
        Path g = Files.write(dir.resolve("v2.trie"), v2);
        e = assertThrows(KbException.class, () -> KnowledgeBase.open(g));
        assertTrue(e.getMessage().contains("format version 2"), e.getMessage());
        assertThrows(KbException.class, () -> KnowledgeBase.open(dir.resolve("missing.trie")));
    }

    @Test
    void anUnwritableDirectoryIsSaidInWords() {
        Path tmp = dir.resolve("kb.trie.42.7.tmp");
        assertEquals("permission denied: directory " + dir + " is not writable",
                TrieFileWriter.reason(new java.nio.file.AccessDeniedException(tmp.toString()), dir, tmp));
        assertEquals("permission denied: /data", TrieFileWriter.reason(new java.nio.file.AccessDeniedException("/data"), dir, tmp));
        assertEquals("File too large", TrieFileWriter.reason(new IOException("File too large"), dir, tmp));
    }
}
