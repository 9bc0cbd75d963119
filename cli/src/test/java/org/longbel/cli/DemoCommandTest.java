package org.longbel.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoCommandTest {
    @TempDir
    Path cache;

    @Test
    void generatesTheCheckpointOnceAndLinksTheCardsExample() {
        CliRun first = CliRun.of("demo", "--cache-dir", cache.toString());
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.err().contains("generating the demo checkpoint"), first.err());
        for (String mention : new String[]{"[pregnant woman]{Living Beings}", "[severe-range hypertension]{Disorders}",
                "[proteinuria]{Disorders}", "[PET]{Disorders}"}) {
            assertTrue(first.out().contains(mention), first.out());
        }
        assertTrue(first.out().contains("Meaningful predictions need a real"), first.out());
        assertTrue(first.out().contains("./longbel link --model DIR"), first.out());
        assertTrue(Files.isRegularFile(cache.resolve("tiny-random-v1/model.safetensors")));
        assertTrue(Files.isRegularFile(cache.resolve("tiny-random-v1/tokenizer.json")));

        CliRun second = CliRun.of("demo", "--cache-dir", cache.toString(), "--json");
        assertEquals(0, second.exitCode(), second.err());
        assertFalse(second.err().contains("generating"), second.err());
        assertEquals(20, second.out().strip().lines().count());
    }
}
