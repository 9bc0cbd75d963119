package org.longbel.linker.input;

import org.longbel.linker.document.Entity;
import org.longbel.linker.document.Page;
import org.longbel.linker.document.Passage;
import org.longbel.linker.document.Span;
import org.longbel.linker.text.PyStrings;

import java.util.function.Consumer;

/**
 * Checks a page before it is linked. Offsets the linker cannot place are errors
 * ({@link InputException}): an end before its start, a span that lies outside every passage or runs
 * past the end of the text. Doubtful but usable input gives a warning and is kept: a mention text
 * that differs from the text at its offsets (the reference uses the given text, so do we), a
 * passage whose offsets do not match its text length.
 */
public final class PageValidator {
    private PageValidator() {
    }

    /**
     * Validates {@code page}; {@code source} (the file name) starts every message.
     *
     * @throws InputException on offsets the linker cannot place
     */
    public static void validate(Page page, String source, Consumer<String> warnings) {
        String doc = source + ": document " + MessageText.quote(page.id());
        long textEnd = 0; // long: a passage starting near 2^31 must not wrap around
        for (int i = 0; i < page.passages().size(); i++) {
            Passage p = page.passages().get(i);
            String ctx = doc + ", passage " + i + ", field 'offsets'";
            if (p.start() < 0) throw new InputException(ctx + ": negative start " + p.start());
            if (p.end() < p.start()) {
                throw new InputException(ctx + ": end " + p.end() + " is before start " + p.start());
            }
            int len = PyStrings.length(p.text());
            if ((long) p.start() + len > Integer.MAX_VALUE) {
                throw new InputException(ctx + ": the passage text (" + len + " characters) starting at " + p.start()
                        + " runs past the largest offset, " + Integer.MAX_VALUE);
            }
            if (p.end() - p.start() != len) {
                warnings.accept(ctx + ": [" + p.start() + ", " + p.end() + "] spans " + (p.end() - p.start())
                        + " characters but the passage text has " + len);
            }
            textEnd = Math.max(textEnd, p.start() + len);
        }
        for (Entity e : page.entities()) {
            String ent = doc + ", entity " + (e.id() == null ? "?" : MessageText.quote(e.id()));
            for (int k = 0; k < e.offsets().size(); k++) {
                Span s = e.offsets().get(k);
                String ctx = ent + ", field 'offsets[" + k + "]' [" + s.start() + ", " + s.end() + "]";
                if (s.end() < s.start()) throw new InputException(ctx + ": end is before start");
                if (s.start() < 0) throw new InputException(ctx + ": negative offset");
                if (s.end() > textEnd) {
                    throw new InputException(ctx + ": runs past the end of the text (offset " + textEnd + ")");
                }
                Passage p = passageHolding(page, s);
                if (p == null) throw new InputException(ctx + ": does not lie within one passage");
                if (k < e.texts().size()) {
                    String actual = PyStrings.slice(p.text(), s.start() - p.start(), s.end() - p.start());
                    if (!actual.equals(e.texts().get(k))) {
                        warnings.accept(ent + ", field 'text[" + k + "]': " + MessageText.quote(e.texts().get(k))
                                + " differs from the text at its offsets (" + MessageText.quote(actual)
                                + "); keeping the given text, as the reference does");
                    }
                }
            }
        }
    }

    private static Passage passageHolding(Page page, Span s) {
        for (Passage p : page.passages()) {
            int end = p.start() + PyStrings.length(p.text());
            if (p.start() <= s.start() && s.start() < end && s.end() <= end) return p;
        }
        return null;
    }
}
