package org.longbel.kb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a text file first stops being UTF-8: the JDK's strict decoder says only "Input length = 1", so the readers
 * of user files (here and in the linker's inputs) read the file again, on that error only, to name the place.
 *
 * @param line       the line (from 1; lines end at LF, CR or CRLF, as {@code BufferedReader} reads them)
 * @param byteOffset the offset in the file of the first byte that does not belong to a valid UTF-8 sequence
 * @param badByte    that byte (0..255)
 */
public record MalformedUtf8(long line, long byteOffset, int badByte) {

    /** The first malformed bytes of {@code file}, or null when all of it is UTF-8. */
    public static MalformedUtf8 find(Path file) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();   // reports malformed input
        byte[] buffer = new byte[1 << 16];
        ByteBuffer bytes = ByteBuffer.wrap(buffer).limit(0);
        CharBuffer chars = CharBuffer.allocate(1 << 16);
        long line = 1, discarded = 0;
        boolean afterCr = false, eof = false;
        try (InputStream in = Files.newInputStream(file)) {
            while (true) {
                discarded += bytes.position();
                bytes.compact();
                int n = eof ? -1 : in.read(buffer, bytes.position(), bytes.remaining());
                if (n < 0) eof = true;
                else bytes.position(bytes.position() + n);
                bytes.flip();
                CoderResult result = decoder.decode(bytes, chars, eof);
                chars.flip();
                for (int i = 0; i < chars.limit(); i++) {
                    char c = chars.get(i);
                    if (c == '\r' || (c == '\n' && !afterCr)) line++;
                    afterCr = c == '\r';
                }
                chars.clear();
                if (result.isError()) {
                    return new MalformedUtf8(line, discarded + bytes.position(), buffer[bytes.position()] & 0xFF);
                }
                if (eof && result.isUnderflow()) return null;
            }
        }
    }
}
