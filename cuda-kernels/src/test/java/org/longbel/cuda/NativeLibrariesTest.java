package org.longbel.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native-library search path, on any machine. */
class NativeLibrariesTest {

    @Test
    void configuredDirectoriesComeFirstThenLdLibraryPathThenDefaults() {
        List<Path> dirs = NativeLibraries.searchDirectories("/a:/b", "/c::/a", "/d:/usr/local/cuda/lib64");
        assertEquals(List.of(Path.of("/a"), Path.of("/b"), Path.of("/c"), Path.of("/d"),
                Path.of("/usr/local/cuda/lib64"), Path.of("/usr/local/cuda/targets/x86_64-linux/lib"),
                Path.of("/usr/lib/x86_64-linux-gnu")), dirs);
        assertEquals(NativeLibraries.DEFAULT_DIRECTORIES, NativeLibraries.searchDirectories(null, null, null));
    }

    @Test
    void aMissingLibraryListsEveryPlaceTried(@TempDir Path tmp) {
        StringBuilder log = new StringBuilder();
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        Optional<NativeLibraries.Found> found = NativeLibraries.find(
                List.of("libnot-a-real-lib.so.1", "libnot-a-real-lib.so"), List.of(a, b), true, log);
        assertTrue(found.isEmpty());
        String text = log.toString();
        for (String expected : List.of(a.resolve("libnot-a-real-lib.so.1") + " (absent)",
                a.resolve("libnot-a-real-lib.so") + " (absent)", b.resolve("libnot-a-real-lib.so.1") + " (absent)",
                b.resolve("libnot-a-real-lib.so") + " (absent)", "libnot-a-real-lib.so.1 (not found by the dynamic loader)",
                "libnot-a-real-lib.so (not found by the dynamic loader)")) {
            assertTrue(text.contains(expected), "log lacks '" + expected + "':\n" + text);
        }
        assertEquals(6, text.lines().count());
    }

    @Test
    void aFileThatIsNoLibraryIsReportedAndTheSearchGoesOn(@TempDir Path tmp) throws IOException {
        Path bad = Files.writeString(tmp.resolve("libfake.so"), "not an ELF file");
        StringBuilder log = new StringBuilder();
        assertTrue(NativeLibraries.find(List.of("libfake.so"), List.of(tmp), false, log).isEmpty());
        assertTrue(log.toString().contains(bad + " (could not load"), log.toString());
    }

    @Test
    void loadsARealLibraryAndSaysFromWhere(@TempDir Path tmp) {
        // libm is on every Linux machine; by plain name, through the dynamic loader
        StringBuilder log = new StringBuilder();
        Optional<NativeLibraries.Found> found = NativeLibraries.find(List.of("libm.so.6"), List.of(tmp), true, log);
        assertTrue(found.isPresent(), log.toString());
        assertEquals("libm.so.6", found.get().loadedFrom());
        assertTrue(found.get().directory().isEmpty());
        assertEquals(List.of(tmp.resolve("libm.so.6") + " (absent)"), found.get().tried());
        assertTrue(found.get().lookup().find("cos").isPresent());
    }
}
