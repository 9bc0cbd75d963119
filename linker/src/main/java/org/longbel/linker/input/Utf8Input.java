package org.longbel.linker.input;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a user's input file as strict UTF-8 text: a leading byte-order mark is dropped, and bytes that are not
 * UTF-8 stop the reading with an {@link InputException} naming the file, the line and the byte offset (the JDK's
 * own decoder says only "Input length = 1", without file or position).
 */
public final class Utf8Input extends Reader {
    private static final int BUFFER = 8192;

    private final InputStream in;
    private final String source;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER).flip();
    private final CharBuffer chars = CharBuffer.allocate(BUFFER).flip();
    /** Bytes of the file decoded so far: the offset of {@code bytes}' position. */
    private long consumed;
    /** Line (from 1) of the next decoded character; a line ends at LF, CR or CRLF as {@code readLine} has it. */
    private long line = 1;
    private boolean afterCr;
    private boolean start = true;
    private boolean eof;
    /** The decoder is flushed: the end was reached (a reader may be asked again after it returned -1). */
    private boolean done;

    private Utf8Input(InputStream in, String source) {
        this.in = in;
        this.source = source;
    }

    /** {@code file} as buffered strict UTF-8 text. */
    public static BufferedReader open(Path file) {
        try {
            return new BufferedReader(new Utf8Input(Files.newInputStream(file), file.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (!chars.hasRemaining()) {
            if (!decodeMore()) return -1;
        }
        int n = Math.min(len, chars.remaining());
        chars.get(cbuf, off, n);
        return n;
    }

    /** Decodes the next chunk into {@code chars}; false at the end of the file. */
    private boolean decodeMore() throws IOException {
        if (done) return false;
        chars.clear();
        while (true) {
            int before = bytes.position();
            CoderResult r = decoder.decode(bytes, chars, eof);
            consumed += bytes.position() - before;
            if (r.isError()) {
                chars.flip();
                countLines(0);
                throw new InputException(source + ":" + line + ": invalid UTF-8 at byte offset " + consumed
                        + " (the file must be UTF-8 text)");
            }
            if (chars.position() > 0 || r.isOverflow()) break;
            if (eof) {
                decoder.flush(chars);
                done = true;
                break;
            }
            bytes.compact();
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) eof = true;
            else bytes.position(bytes.position() + n);
            bytes.flip();
        }
        chars.flip();
        int from = 0;
        if (start && chars.hasRemaining()) {
            start = false;
            if (chars.get(0) == '\uFEFF') from = 1;
        }
        countLines(from);
        chars.position(from);
        return chars.hasRemaining() || !done;
    }

    private void countLines(int from) {
        for (int i = from; i < chars.limit(); i++) {
            char c = chars.get(i);
            if (c == '\r' || (c == '\n' && !afterCr)) line++;
            afterCr = c == '\r';
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
