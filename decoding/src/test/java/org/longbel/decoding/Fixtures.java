package org.longbel.decoding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.longbel.core.CausalLM;
import org.longbel.core.LlamaModel;

/** Paths and readers for the shared fixtures. */
final class Fixtures {

    static final int BLOCK = 16;
    static final long KV_BUDGET = 64L << 20;

    private Fixtures() {}

    /** System property {@code longbel.fixtures}, else ../../shared/fixtures relative to the module. */
    static Path root() {
        String p = System.getProperty("longbel.fixtures");
        return Path.of(p != null ? p : "../../shared/fixtures");
    }

    static CausalLM tinyLlama() {
        return LlamaModel.load(root().resolve("models/tiny-llama32"), 2);
    }

    static JsonNode json(String relative) throws IOException {
        return new ObjectMapper().readTree(root().resolve(relative).toFile());
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).intValue();
        return out;
    }
}
