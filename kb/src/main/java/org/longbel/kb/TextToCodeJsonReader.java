package org.longbel.kb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads a LongBEL checkpoint's {@code text_to_code.json}: {@code {group: {name: code}}}. Streams the
 * file, so a multi-gigabyte KB never exists as a JSON tree. Errors name the file, line and column.
 */
public final class TextToCodeJsonReader {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private TextToCodeJsonReader() {}

    /** Reads {@code file} into a new table. */
    public static ConceptTable read(Path file) {
        ConceptTable.Builder table = new ConceptTable.Builder();
        String name = file.toString();
        try (JsonParser p = JSON.createParser(file.toFile())) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, name, "the top level must be an object {group: {name: code}}");
            Set<String> seenGroups = new HashSet<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String group = p.currentName();
                if (group.isBlank()) fail(p, name, "empty semantic group name");
                if (!seenGroups.add(group)) {
                    fail(p, name, "group \"" + group + "\" appears twice (Python's json would silently keep only the later one); merge the two objects");
                }
                expect(p, p.nextToken(), JsonToken.START_OBJECT, name, "the value of group \"" + group + "\" must be an object {name: code}");
                table.group(group);   // kept even when empty: its trie then allows nothing, as the reference's would
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String concept = p.currentName();
                    JsonLocation at = p.currentTokenLocation();
                    expect(p, p.nextToken(), JsonToken.VALUE_STRING, name, "the code of \"" + concept + "\" must be a string");
                    table.add(group, concept, p.getText(), name, at.getLineNr(), at.getColumnNr());
                }
                expect(p, p.currentToken(), JsonToken.END_OBJECT, name, "expected the end of group \"" + group + "\"");
            }
            expect(p, p.currentToken(), JsonToken.END_OBJECT, name, "expected the end of the top-level object");
            JsonToken trailing = p.nextToken();
            if (trailing != null) fail(p, name, "unexpected content after the top-level object");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? name : name + ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new KbException(where + ": malformed JSON: " + e.getOriginalMessage(), e);
        } catch (CharConversionException e) {
            // Jackson's UTF-16/32 readers (chosen from the first bytes) report bad characters this way, without a location
            throw new KbException(name + ": malformed JSON: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read knowledge base " + name + ": " + e.getMessage(), e);
        }
        return table.build();
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String file, String what) {
        if (actual != expected) fail(p, file, what + " (found " + (actual == null ? "end of file" : actual.asString() == null ? actual.name() : actual.asString()) + ")");
    }

    private static void fail(JsonParser p, String file, String what) {
        JsonLocation at = p.currentTokenLocation();
        throw new KbException(file + ":" + at.getLineNr() + ":" + at.getColumnNr() + ": " + what);
    }
}
