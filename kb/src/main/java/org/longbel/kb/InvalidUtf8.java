package org.longbel.kb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The error for a text knowledge-base file that is not valid UTF-8. The JDK's decoder only says "Input length
 * = 1", and a buffered reader fails ahead of the line it hands out; this reads the file again (only on that
 * error) to name the line and the byte offset of the first malformed bytes.
 */
final class InvalidUtf8 {
    private InvalidUtf8() {}

    /** The error for {@code file}, whose strict UTF-8 decoding failed with {@code cause}. */
    static KbException in(Path file, CharacterCodingException cause) {
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
                for (int i = 0; i < chars.limit(); i++) {   // lines end at \n, \r or \r\n, as BufferedReader reads them
                    char c = chars.get(i);
                    if (c == '\r' || (c == '\n' && !afterCr)) line++;
                    afterCr = c == '\r';
                }
                chars.clear();
                if (result.isError()) {
                    return new KbException(String.format("%s:%d: invalid UTF-8: byte 0x%02X at byte offset %d of the file"
                            + " does not start a valid UTF-8 sequence (save the file as UTF-8)",
                            file, line, buffer[bytes.position()] & 0xFF, discarded + bytes.position()), cause);
                }
                if (eof && result.isUnderflow()) break;
            }
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
        return new KbException(file + ": invalid UTF-8 (save the file as UTF-8)", cause);
    }
}
