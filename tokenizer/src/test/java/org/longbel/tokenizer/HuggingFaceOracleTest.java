package org.longbel.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Compares with Hugging Face's Rust tokenizers, run in-process through DJL, on seeded random strings
 * built to hit the edges of the split pattern (every kind of white space, contractions in any case,
 * letters and numbers of many scripts, supplementary characters, added-token strings) and on random id
 * sequences for decode (malformed UTF-8 included).
 */
class HuggingFaceOracleTest {
    private static final String[] PIECES = {
        " ", "  ", "\t", "\n", "\r", "\r\n", "\u000B", "\u000C", "\u0085", "\u00A0", "\u1680", "\u2000", "\u2007",
        "\u200A", "\u2028", "\u2029", "\u202F", "\u205F", "\u3000", "\u001C", "\u001F", "\u200B", "\uFEFF", "\u180E",
        "'", "'s", "'S", "'t", "'T", "'re", "'RE", "'rE", "'ve", "'Ve", "'m", "'M", "'ll", "'LL", "'lL", "'d", "'D", "'\u017F",
        "'x", "''", "’s", "a", "Z", "é", "ß", "ǅ", "ʰ", "中文", "ひらがな", "한국어", "Ελληνικά", "кириллица", "עברית", "العربية",
        "हिन्दी", "ไทย", "e\u0301", "\u0301", "0", "7", "12", "1234", "٣", "²", "½", "Ⅻ", "〇", "𝟙", "𝐀", "𐐀", "😀", "👩‍💻", "🇫🇷",
        ".", ",", "!", "?", "-", "_", "(", ")", "[", "]", "{", "}", "<", ">", "|", "+", "<+>", "<|begin_of_text|>",
        "<|eot_id|>", "<|reserved_special_token_5|>", "$", "€", "%", "\\", "\"", "#", "@", "~", "\u0000", "\u007F", "\u00AD",
        "Hello", "world", "don't", "I'M", "patient", "mg/kg", "C0004057",
    };

    private static String randomText(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int pieces = 1 + rnd.nextInt(12);
        for (int i = 0; i < pieces; i++) {
            if (rnd.nextInt(6) == 0) {
                int cp; // any scalar value, assigned or not
                do {
                    cp = switch (rnd.nextInt(3)) {
                        case 0 -> rnd.nextInt(0x110000);
                        case 1 -> rnd.nextInt(0x30000);
                        default -> rnd.nextInt(0x3000);
                    };
                } while (Character.getType(cp) == Character.SURROGATE);
                sb.appendCodePoint(cp);
            } else {
                sb.append(PIECES[rnd.nextInt(PIECES.length)]);
            }
        }
        return sb.toString();
    }

    @Test
    void randomStringsEncodeAndDecodeLikeHuggingFace() throws IOException {
        for (String name : new String[] {"llama3", "longbel"}) {
            Tokenizer ours = Fixtures.tokenizer(name);
            try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(Fixtures.tokenizerDir(name),
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"))) {
                Random rnd = new Random(name.hashCode());
                for (int i = 0; i < 3000; i++) {
                    String text = randomText(rnd);
                    long[] expected = hf.encode(text, false, false).getIds();
                    int[] got = ours.encode(text, false);
                    assertEquals(Arrays.toString(expected), Arrays.toString(got), () -> name + " encode " + escape(text));
                    assertEquals(text, ours.decode(got, false), () -> name + " round trip " + escape(text));
                }
                int vocab = ours.vocabSize();
                for (int i = 0; i < 2000; i++) {
                    int[] ids = new int[1 + rnd.nextInt(8)];
                    for (int k = 0; k < ids.length; k++) {
                        ids[k] = rnd.nextInt(3) == 0 ? rnd.nextInt(256) + (rnd.nextBoolean() ? 0 : 128000 - 256)
                                : rnd.nextInt(vocab);
                    }
                    long[] longIds = Arrays.stream(ids).asLongStream().toArray();
                    boolean skip = rnd.nextBoolean();
                    assertEquals(hf.decode(longIds, skip), ours.decode(ids, skip), () -> name + " decode " + Arrays.toString(ids));
                }
            }
        }
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            if (c >= 0x20 && c < 0x7F) sb.appendCodePoint(c);
            else sb.append(String.format("\\u{%X}", c));
        });
        return sb.append('"').toString();
    }
}
