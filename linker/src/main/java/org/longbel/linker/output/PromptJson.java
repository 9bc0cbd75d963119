package org.longbel.linker.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** A prompt as one JSON line: {@code {"mention_id": ..., "text": ..., "ids": [...]}} ({@code --dump-prompts}). */
public final class PromptJson {
    private static final JsonFactory JSON = new JsonFactory();

    private PromptJson() {
    }

    /** One {@code --dump-prompts} line: <code>{mention_id, text, ids}</code> (no newline). */
    public static String toLine(String mentionId, String text, int[] ids) {
        StringWriter out = new StringWriter(text.length() + 8 * ids.length + 64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("mention_id", mentionId);
            g.writeStringField("text", text);
            g.writeArrayFieldStart("ids");
            for (int id : ids) g.writeNumber(id);
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
