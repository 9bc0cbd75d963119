package org.longbel.linker.prompt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reference spec §4, by hand. */
class MemoryLineTest {

    private static String line(String decoded) {
        return MemoryLine.fromCleaned(DecodedText.skipUndesiredTokens(decoded));
    }

    @Test
    void cutsFromTheLastBracketAndEndsWithNewline() {
        assertEquals("[pain]{Disorders} Pain\n", line("<|begin_of_text|>### Context\n[pain] here\n\n"
                + "### Previous Normalizations\n[a]{G} A\n\n### Prediction\n[pain]{Disorders} Pain<|eot_id|>"));
    }

    @Test
    void noNameStillGivesTheTargetLine() {
        assertEquals("[pain]{Disorders}\n", line("<|begin_of_text|>x\n### Prediction\n[pain]{Disorders}<|eot_id|>"));
    }

    @Test
    void generatedBracketMovesTheCut() {
        assertEquals("[bar] baz\n", line("### Prediction\n[m]{G} foo [bar] baz<|eot_id|><|eot_id|>"));
    }

    @Test
    void withoutAnyBracketTheWholeTextIsKept() {
        assertEquals("[abc\n", line("abc"));
    }

    @Test
    void newlinesInsideTheGenerationAreKeptTrailingOnesStripped() {
        assertEquals("[m]{G} A\nB\n", line("[m]{G} A\nB \n\t<|eot_id|>"));
    }

    @Test
    void whitespaceAfterPlusAndSepIsDeleted() {
        assertEquals("[m]{G} A<+>B<SEP>C", DecodedText.skipUndesiredTokens(" [m]{G} A<+>  B<SEP>\u00A0C "));
    }
}
