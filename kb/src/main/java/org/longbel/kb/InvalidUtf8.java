package org.longbel.kb;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;

/** The error for a text knowledge-base file that is not valid UTF-8, naming the place ({@link MalformedUtf8}). */
final class InvalidUtf8 {
    private InvalidUtf8() {}

    /** The error for {@code file}, whose strict UTF-8 decoding failed with {@code cause}. */
    static KbException in(Path file, CharacterCodingException cause) {
        try {
            MalformedUtf8 at = MalformedUtf8.find(file);
            if (at != null) {
                return new KbException(String.format("%s:%d: invalid UTF-8: byte 0x%02X at byte offset %d of the file"
                        + " does not start a valid UTF-8 sequence (save the file as UTF-8)",
                        file, at.line(), at.badByte(), at.byteOffset()), cause);
            }
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
        return new KbException(file + ": invalid UTF-8 (save the file as UTF-8)", cause);
    }
}
