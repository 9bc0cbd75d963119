package org.longbel.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** llama.cpp's Llama-3 tokenizer test vectors (tests/test-tokenizer-0 format), for both tokenizers. */
class LlamaCppVectorsTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama3", "longbel"})
    void all46VectorsMatch(String name) throws IOException {
        Path dir = Fixtures.root().resolve("tokenizer/llamacpp");
        String inp = Files.readString(dir.resolve("ggml-vocab-llama-bpe.gguf.inp"), StandardCharsets.UTF_8);
        String[] texts = inp.split("\n__ggml_vocab_test__\n", -1);
        List<String> out = Files.readAllLines(dir.resolve("ggml-vocab-llama-bpe.gguf.out"), StandardCharsets.UTF_8);
        assertEquals(46, out.size());
        // the .inp file ends with a separator line: the last split piece is empty
        assertEquals(out.size(), texts.length - 1);
        Tokenizer tok = Fixtures.tokenizer(name);
        for (int i = 0; i < out.size(); i++) {
            String line = out.get(i).strip();
            int[] expected = line.isEmpty() ? new int[0] : Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray();
            int index = i;
            assertArrayEquals(expected, tok.encode(texts[i], false), () -> name + " vector " + index + ": " + texts[index]);
        }
    }
}
