package org.longbel.linker.input;

import org.longbel.kb.MalformedUtf8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a user's input file as strict UTF-8 text: a leading byte-order mark is dropped, and bytes that are not
 * UTF-8 stop the reading with an {@link InputException} naming the file, the line and the byte offset (the JDK's
 * own decoder says only "Input length = 1"; {@link MalformedUtf8} finds the place, on that error only).
 */
public final class Utf8Input extends Reader {

    private final Reader in;
    private final Path file;
    private boolean start = true;

    private Utf8Input(Reader in, Path file) {
        this.in = in;
        this.file = file;
    }

    /** {@code file} as buffered strict UTF-8 text. */
    public static BufferedReader open(Path file) {
        try {
            Reader strict = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
            return new BufferedReader(new Utf8Input(strict, file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(cbuf, off, len);
        } catch (CharacterCodingException e) {
            throw malformed(e);
        }
        if (start && n > 0) {
            start = false;
            if (cbuf[off] == '\uFEFF') {
                System.arraycopy(cbuf, off + 1, cbuf, off, --n);
                if (n == 0) return read(cbuf, off, len);
            }
        }
        return n;
    }

    private InputException malformed(CharacterCodingException cause) {
        try {
            MalformedUtf8 at = MalformedUtf8.find(file);
            if (at != null) {
                return new InputException(file + ":" + at.line() + ": invalid UTF-8 at byte offset " + at.byteOffset()
                        + " (the file must be UTF-8 text)", cause);
            }
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
        return new InputException(file + ": invalid UTF-8 (the file must be UTF-8 text)", cause);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
