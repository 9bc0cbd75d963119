package org.longbel.kb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class NameCleanerTest {
    @Test
    void replacesNoBreakSpaceAndBracketsOnly() {
        assertEquals("Benzo(a)pyrene (x) a b\nc\td", NameCleaner.clean("Benzo[a]pyrene {x}\u00A0a b\nc\td"));
    }

    @Test
    void returnsTheSameStringWhenClean() {
        String s = "Myocardial infarction";
        assertSame(s, NameCleaner.clean(s));
    }
}
