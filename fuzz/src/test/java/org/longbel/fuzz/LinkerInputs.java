package org.longbel.fuzz;

import org.longbel.linker.document.Page;
import org.longbel.linker.input.InputException;
import org.longbel.linker.input.InputFormat;
import org.longbel.linker.input.PageSources;
import org.longbel.linker.input.SemanticGroupMapping;
import org.longbel.linker.prompt.MentionExtractor;

import java.nio.file.Path;
import java.util.List;

/**
 * What the linker's input targets share, on top of {@link FuzzSupport}: an {@link InputException} must also be one
 * line of bounded length (a document id or a mention text holding a line break must not split it), and so must
 * every warning, which must name the file too. Pages go the way {@code longbel link --input} takes them:
 * {@link PageSources#read} (reader and validation), then the mentions of every page.
 */
final class LinkerInputs {
    /** Longest message accepted: long values must be cut short in messages. */
    private static final int MAX_MESSAGE = 2_000;

    private LinkerInputs() {}

    /** The pages of {@code file} as {@code link --input file --format format} reads them. */
    static void pages(Path file, InputFormat format, SemanticGroupMapping groups) throws Exception {
        expect(file, () -> {
            List<Page> pages = PageSources.read(file, format, groups, w -> warning(file, w));
            for (Page page : pages) MentionExtractor.mentions(page);
        });
    }

    /** {@code parse} succeeds or throws an {@link InputException} with a one-line message naming {@code file}. */
    static void expect(Path file, FuzzSupport.Parse parse) throws Exception {
        FuzzSupport.expect(InputException.class, file.toString(), () -> {
            try {
                parse.run();
            } catch (InputException e) {
                oneLine("message", e.getMessage(), e);
                throw e;
            }
        });
    }

    /** Whether the first byte that is not ASCII white space (after a UTF-8 byte-order mark) is {@code c}. */
    static boolean startsWith(byte[] data, char c) {
        int i = data.length >= 3 && (data[0] & 0xFF) == 0xEF && (data[1] & 0xFF) == 0xBB && (data[2] & 0xFF) == 0xBF
                ? 3 : 0;
        while (i < data.length && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r')) i++;
        return i < data.length && data[i] == c;
    }

    private static void warning(Path file, String warning) {
        if (!warning.contains(file.toString())) throw new AssertionError("warning does not name " + file + ": " + warning);
        oneLine("warning", warning, null);
    }

    private static void oneLine(String what, String text, Throwable cause) {
        if (text != null && (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0 || text.length() > MAX_MESSAGE)) {
            throw new AssertionError(what + " is not one line of at most " + MAX_MESSAGE + " characters ("
                    + text.length() + "): " + text.substring(0, Math.min(text.length(), 300)), cause);
        }
    }
}
