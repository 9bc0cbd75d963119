package org.longbel.kb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KbLoaderTest {
    @TempDir Path dir;
    final List<String> events = new ArrayList<>();

    private KbLoader loader(String fingerprint) {
        return new KbLoader(TestKbs.CODE_POINTS, fingerprint).onEvent(events::add);
    }

    @Test
    void sourceWithoutCacheIsBuiltIntoATemporaryFile() {
        Path src = TestKbs.write(dir, "kb.tsv", "C1\tHeart\tAnatomy\n");
        try (KnowledgeBase kb = loader("fp").load(src)) {
            assertEquals("C1", kb.code("Anatomy", "Heart"));
            assertTrue(Files.notExists(kb.file()), "the temporary file is removed once mapped");
        }
    }

    @Test
    void cacheIsReusedWhileFreshAndRebuiltWhenStale() throws IOException {
        Path src = TestKbs.write(dir, "kb.json", "{\"G\": {\"a\": \"C1\"}}");
        Path cache = dir.resolve("kb.trie");
        loader("fp").cacheFile(cache).load(src).close();
        assertEquals(1, events.size());
        FileTime built = Files.getLastModifiedTime(cache);

        loader("fp").cacheFile(cache).load(src).close();
        assertEquals(1, events.size(), "fresh cache reused: " + events);

        Files.setLastModifiedTime(src, FileTime.fromMillis(Files.getLastModifiedTime(src).toMillis() + 5000));
        loader("fp").cacheFile(cache).load(src).close();
        assertEquals(1, events.size(), "touched but unchanged source: " + events);
        assertEquals(built, Files.getLastModifiedTime(cache));

        TestKbs.write(dir, "kb.json", "{\"G\": {\"a\": \"C2\"}}");
        try (KnowledgeBase kb = loader("fp").cacheFile(cache).load(src)) {
            assertEquals("C2", kb.code("G", "a"));
        }
        assertTrue(events.getLast().contains("changed"), events.getLast());

        try (KnowledgeBase kb = loader("other-tokenizer").cacheFile(cache).load(src)) {
            assertEquals("other-tokenizer", kb.metadata().tokenizerFingerprint());
        }
        assertTrue(events.getLast().contains("another tokenizer"), events.getLast());
    }

    @Test
    void staleTrieFileIsRebuiltInPlace() {
        Path src = TestKbs.write(dir, "kb.json", "{\"G\": {\"a\": \"C1\"}}");
        Path trie = dir.resolve("kb.trie");
        loader("fp").build(KbSource.detect(src), trie);
        try (KnowledgeBase kb = loader("fp").load(trie)) {
            assertEquals("C1", kb.code("G", "a"));
        }
        assertEquals(List.of(), events);
        TestKbs.write(dir, "kb.json", "{\"G\": {\"a\": \"C1\", \"b\": \"C2\"}}");
        try (KnowledgeBase kb = loader("fp").load(trie)) {
            assertEquals("C2", kb.code("G", "b"));
            assertEquals(trie, kb.file());
        }
        assertTrue(events.getLast().startsWith("rebuilding " + trie), events.getLast());
    }

    @Test
    void trieWithoutSourceIsUsedOnlyWithItsTokenizer() throws IOException {
        Path src = TestKbs.write(dir, "kb.json", "{\"G\": {\"a\": \"C1\"}}");
        Path trie = dir.resolve("kb.trie");
        loader("fp").build(KbSource.detect(src), trie);
        Files.delete(src);
        try (KnowledgeBase kb = loader("fp").load(trie)) {
            assertEquals("C1", kb.code("G", "a"));
        }
        KbException e = assertThrows(KbException.class, () -> loader("other").load(trie));
        assertTrue(e.getMessage().contains("built with another tokenizer") && e.getMessage().contains("is gone"), e.getMessage());
    }

    @Test
    void unknownSourceFormatIsExplained() {
        Path src = TestKbs.write(dir, "kb.csv", "C1,Heart,Anatomy\n");
        KbException e = assertThrows(KbException.class, () -> loader("fp").load(src));
        assertTrue(e.getMessage().startsWith("cannot tell the format of knowledge base " + src), e.getMessage());
        assertThrows(KbException.class, () -> loader("fp").load(dir.resolve("absent.json")));
    }

    @Test
    void umlsDirectoryNeedsItsThreeFiles() {
        TestKbs.write(dir, "MRCONSO.RRF", UmlsRrfReaderTest.conso("C1", "ENG", "Heart", "N", 1));
        KbException e = assertThrows(KbException.class, () -> KbSource.detect(dir));
        assertTrue(e.getMessage().contains("lacks MRSTY.RRF"), e.getMessage());
        TestKbs.write(dir, "MRSTY.RRF", "C1|T023|A1|Body Part|AT1|256|\n");
        TestKbs.write(dir, "SemGroups.txt", "ANAT|Anatomy|T023|Body Part\n");
        try (KnowledgeBase kb = loader("fp").load(dir)) {
            assertEquals("C1", kb.code("Anatomy", "Heart"));
        }
    }

    @Test
    void checkpointDirectoryGivenAsKbPointsToItsTextToCodeJson() {
        TestKbs.write(dir, "text_to_code.json", "{\"G\": {\"a\": \"C1\"}}");
        KbException e = assertThrows(KbException.class, () -> loader("fp").load(dir));
        assertEquals("UMLS knowledge base " + dir + " lacks MRCONSO.RRF (expected MRCONSO.RRF, MRSTY.RRF and a SemGroups file,"
                + " by default SemGroups.txt); it holds a text_to_code.json: pass that file to use it", e.getMessage());
    }

    @Test
    void damagedCacheIsRebuilt() throws IOException {
        Path src = TestKbs.write(dir, "kb.json", "{\"G\": {\"a\": \"C1\"}}");
        Path cache = dir.resolve("kb.trie");
        loader("fp").build(KbSource.detect(src), cache);
        byte[] bytes = Files.readAllBytes(cache);
        bytes[60] ^= 1;
        Files.write(cache, bytes);
        try (KnowledgeBase kb = loader("fp").cacheFile(cache).load(src)) {
            assertEquals("C1", kb.code("G", "a"));
        }
        assertTrue(events.getLast().contains("corrupted"), events.getLast());
    }

    @Test
    void trieNamedFileThatIsNoTrieFileIsExplained() {
        Path src = TestKbs.write(dir, "kb.trie", "LBEL");
        KbException e = assertThrows(KbException.class, () -> loader("fp").load(src));
        assertEquals("knowledge base " + src + " is not a LongBEL trie file (its first bytes are not \"LBELTRIE\"):"
                + " rebuild it with `longbel kb build`", e.getMessage());
    }
}
