package org.longbel.linker.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Utf8InputTest {
    @TempDir
    Path dir;

    private static String readAll(Path f) throws IOException {
        try (BufferedReader in = Utf8Input.open(f)) {
            StringWriter out = new StringWriter();
            in.transferTo(out);
            return out.toString();
        }
    }

    @Test
    void dropsALeadingByteOrderMarkOnly() throws IOException {
        Path f = dir.resolve("bom.txt");
        Files.write(f, "\uFEFFa\uFEFFb".getBytes(StandardCharsets.UTF_8));
        assertEquals("a\uFEFFb", readAll(f));
    }

    @Test
    void readingAgainAfterTheEndGivesTheEndAgain() throws IOException {
        Path f = dir.resolve("bom-only.txt");
        Files.write(f, new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        try (BufferedReader in = Utf8Input.open(f)) {
            assertEquals(-1, in.read());
            assertEquals(-1, in.read()); // once an IllegalStateException from the flushed decoder
        }
        Files.writeString(f, "\t");
        try (BufferedReader in = Utf8Input.open(f)) {
            assertEquals("\t", in.readLine());
            assertEquals(null, in.readLine());
            assertEquals(null, in.readLine());
        }
    }

    @Test
    void decodesCharactersSplitAcrossBuffers() throws IOException {
        Path f = dir.resolve("long.txt");
        String text = "x".repeat(8191) + "\uD83D\uDE00é" + "y".repeat(20_000) + "\u20AC";
        Files.writeString(f, text);
        assertEquals(text, readAll(f));
    }

    @Test
    void invalidBytesNameFileLineAndByteOffset() throws IOException {
        Path f = dir.resolve("bad.txt");
        byte[] head = ("a\r\nb\rc\n" + "é".repeat(6000) + "\n").getBytes(StandardCharsets.UTF_8); // past one buffer
        byte[] data = new byte[head.length + 2];
        System.arraycopy(head, 0, data, 0, head.length);
        data[head.length] = 'z';
        data[head.length + 1] = (byte) 0xFF;
        Files.write(f, data);
        InputException e = assertThrows(InputException.class, () -> readAll(f));
        assertEquals(f + ":5: invalid UTF-8 at byte offset " + (head.length + 1) + " (the file must be UTF-8 text)",
                e.getMessage());
    }

    @Test
    void truncatedSequenceAtTheEndAndEncodedSurrogatesAreInvalid() throws IOException {
        Path f = dir.resolve("cut.txt");
        Files.write(f, new byte[]{'o', 'k', (byte) 0xE2, (byte) 0x82});
        assertEquals(f + ":1: invalid UTF-8 at byte offset 2 (the file must be UTF-8 text)",
                assertThrows(InputException.class, () -> readAll(f)).getMessage());
        Files.write(f, new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        assertThrows(InputException.class, () -> readAll(f));
    }

    @Test
    void quotedValuesAreOneLineAndShort() {
        assertEquals("'a\\nb\\r\\tc\\u0000\\u2028'", MessageText.quote("a\nb\r\tc\u0000\u2028"));
        assertEquals("'" + "x".repeat(MessageText.MAX_SHOWN) + "...'", MessageText.quote("x".repeat(1000)));
    }
}
