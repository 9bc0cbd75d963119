package org.longbel.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A source KB's trie is built once into the cache directory and reused while the KB is unchanged. */
class KbCacheTest {

    @TempDir
    Path tmp;

    @Test
    void theTrieIsBuiltOnceAndRebuiltWhenTheSourceChanges() throws IOException {
        Path kb = tmp.resolve("kb.json");
        Files.copy(Fixtures.path("kb/crafted_text_to_code.json"), kb);
        Path cache = tmp.resolve("cache");
        LongBelOptions options = LongBelOptions.defaults().withComputeThreads(1).withKnowledgeBase(kb).withKbCacheDir(cache);

        FileTime built = load(options, cache);
        assertEquals(built, load(options, cache), "a fresh trie must be reused, not rebuilt");

        Files.writeString(kb, "{\"Devices\": {\"stent\": \"C0038257\"}}");
        FileTime rebuilt = load(options, cache);
        assertNotEquals(built, rebuilt, "an edited KB must be rebuilt");
        try (LongBel longBel = LongBel.load(Fixtures.tinyModel(), options)) {
            assertEquals(List.of("Devices"), longBel.knowledgeBase().groups());
        }
    }

    @Test
    void oneCacheFilePerSourcePath() {
        Path dir = Path.of("/cache");
        assertNotEquals(CacheDirs.trieFileFor(dir, Path.of("/a/text_to_code.json")),
                CacheDirs.trieFileFor(dir, Path.of("/b/text_to_code.json")));
        assertTrue(CacheDirs.trieFileFor(dir, Path.of("/a/my kb.json")).getFileName().toString().startsWith("my_kb.json-"));
    }

    private static FileTime load(LongBelOptions options, Path cache) throws IOException {
        try (LongBel ignored = LongBel.load(Fixtures.tinyModel(), options)) {
            try (var files = Files.list(cache)) {
                List<Path> tries = files.filter(p -> p.toString().endsWith(".trie")).toList();
                assertEquals(1, tries.size(), tries.toString());
                return Files.getLastModifiedTime(tries.get(0));
            }
        }
    }
}
