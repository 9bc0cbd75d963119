package org.longbel.linker.input;

import org.junit.jupiter.api.Test;
import org.longbel.linker.document.Entity;
import org.longbel.linker.document.Page;
import org.longbel.linker.document.Passage;
import org.longbel.linker.document.Span;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageValidatorTest {
    private static final List<Passage> PASSAGES = List.of(new Passage("chest pain", 0, 10), new Passage("nausea", 12, 18));

    private static Page page(int start, int end, String text) {
        return new Page("d1", null, PASSAGES, List.of(new Entity("T2", "Disorders", List.of(text),
                List.of(new Span(start, end)), List.of())));
    }

    private static String error(Page p) {
        return assertThrows(InputException.class, () -> PageValidator.validate(p, "in.json", w -> { })).getMessage();
    }

    @Test
    void endBeforeStart() {
        assertEquals("in.json: document 'd1', entity 'T2', field 'offsets[0]' [6, 2]: end is before start",
                error(page(6, 2, "x")));
    }

    @Test
    void pastTheTextEnd() {
        assertEquals("in.json: document 'd1', entity 'T2', field 'offsets[0]' [12, 30]: runs past the end of the "
                + "text (offset 18)", error(page(12, 30, "nausea")));
    }

    @Test
    void outsideEveryPassage() {
        assertEquals("in.json: document 'd1', entity 'T2', field 'offsets[0]' [10, 12]: does not lie within one "
                + "passage", error(page(10, 12, "  ")));
    }

    @Test
    void textMismatchWarnsAndKeeps() {
        List<String> warnings = new ArrayList<>();
        PageValidator.validate(page(6, 10, "Pain"), "in.json", warnings::add);
        assertEquals(List.of("in.json: document 'd1', entity 'T2', field 'text[0]': 'Pain' differs from the text at "
                + "its offsets ('pain'); keeping the given text, as the reference does"), warnings);
    }

    @Test
    void validPageHasNoWarning() {
        List<String> warnings = new ArrayList<>();
        PageValidator.validate(page(12, 18, "nausea"), "in.json", warnings::add);
        assertTrue(warnings.isEmpty());
    }

    @Test
    void passageOffsetsNearTheLargestIntDoNotWrapAround() {
        Page p = new Page("d1", null, List.of(new Passage("abcdefghij", Integer.MAX_VALUE - 5, Integer.MAX_VALUE)),
                List.of());
        assertEquals("in.json: document 'd1', passage 0, field 'offsets': the passage text (10 characters) starting at "
                + (Integer.MAX_VALUE - 5) + " runs past the largest offset, " + Integer.MAX_VALUE, error(p));
        Page negative = new Page("d1", null, List.of(new Passage("abc", -3, 0)), List.of());
        assertEquals("in.json: document 'd1', passage 0, field 'offsets': negative start -3", error(negative));
    }
}
