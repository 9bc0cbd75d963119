package org.longbel.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Edges of the Llama-3 split pattern, with the pieces a backtracking engine with Unicode classes gives
 * (several of them differ under java.util.regex or with {@link Character#isWhitespace}).
 */
class Llama3SplitterTest {

    private static List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        new Llama3Splitter().split(text, 0, text.length(), (s, e) -> pieces.add(text.substring(s, e)));
        return pieces;
    }

    @Test
    void wordsTakeTheirLeadingSpaceOrSymbol() {
        assertEquals(List.of("Hello", " world"), split("Hello world"));
        assertEquals(List.of(" ", " hello"), split("  hello"));
        assertEquals(List.of("\tword"), split("\tword"));
        assertEquals(List.of("\u00A0word"), split("\u00A0word"));
        assertEquals(List.of("(word", ")"), split("(word)"));
        assertEquals(List.of("😀abc"), split("😀abc"));
        assertEquals(List.of("abc", "😀"), split("abc😀"));
        assertEquals(List.of("a", "\n", "b"), split("a\nb"));
    }

    @Test
    void contractionsIgnoreCase() {
        assertEquals(List.of("don", "'t"), split("don't"));
        assertEquals(List.of("I", "'M"), split("I'M"));
        assertEquals(List.of("we", "'Ve"), split("we'Ve"));
        assertEquals(List.of("they", "'rE"), split("they'rE"));
        assertEquals(List.of("it", "'LL"), split("it'LL"));
        assertEquals(List.of("'\u017F"), split("'\u017F"));   // long s folds to s
        assertEquals(List.of("'x"), split("'x"));             // not a contraction: symbol + letters
        assertEquals(List.of("'", "1"), split("'1"));
        assertEquals(List.of("’s"), split("’s"));             // only the ASCII apostrophe
    }

    @Test
    void numbersGoByThree() {
        assertEquals(List.of("123", "45"), split("12345"));
        assertEquals(List.of(" ", "123"), split(" 123"));
        assertEquals(List.of("²½Ⅻ", "٣"), split("²½Ⅻ٣"));
        assertEquals(List.of("𝟙𝟚"), split("𝟙𝟚"));
    }

    @Test
    void symbolsTakeOneLeadingSpaceAndTrailingNewlines() {
        assertEquals(List.of(" ..."), split(" ..."));
        assertEquals(List.of("...\n\n", "x"), split("...\n\nx"));
        assertEquals(List.of(" ", " ?!"), split("  ?!"));
        assertEquals(List.of("\t", "?"), split("\t?"));
    }

    @Test
    void whiteSpaceBacktracks() {
        assertEquals(List.of("hello", "   "), split("hello   "));          // \s+(?!\S) at the end: all of it
        assertEquals(List.of("a", " \n\n", "b"), split("a \n\nb"));          // \s*[\r\n]+ up to the last break
        assertEquals(List.of("a", "\n", " ", " b"), split("a\n  b"));
        assertEquals(List.of("x", " \t\n", " y"), split("x \t\n y"));
        assertEquals(List.of("\r\n\r\n"), split("\r\n\r\n"));
        assertEquals(List.of("x", "\u00A0\u00A0"), split("x\u00A0\u00A0"));  // U+00A0 is \s
        assertEquals(List.of("a", "\u2007", " b"), split("a\u2007 b"));       // U+2007 is \s (not Java's isWhitespace)
        assertEquals(List.of("a", "\u001Fb"), split("a\u001Fb"));             // U+001F is not \s (Java's isWhitespace says it is)
        assertEquals(List.of(" ", "5"), split(" 5"));
        assertEquals(List.of("   ", " ", "5"), split("    5"));
    }
}
