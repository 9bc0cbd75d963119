package org.longbel.linker.input;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.longbel.linker.document.Entity;
import org.longbel.linker.document.Normalization;
import org.longbel.linker.document.Page;
import org.longbel.linker.document.Passage;
import org.longbel.linker.document.Span;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads BigBio-KB-like pages (reference spec §2) from a JSON array of pages or from JSON Lines
 * (one page object per line), with Jackson's streaming parser: one page is in memory as a tree at a
 * time. {@code events}, {@code coreferences} and {@code relations} are ignored. Errors name the file,
 * the line, the document, the entity and the field.
 */
public final class BigBioReader {
    private final ObjectMapper mapper;
    /** Reads one JSON Lines line; a second value on the same line is an error, not silently dropped. */
    private final ObjectReader lineReader;

    /** A reader parsing with {@code mapper}. */
    public BigBioReader(ObjectMapper mapper) {
        this.mapper = mapper;
        this.lineReader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** A reader with a default Jackson mapper. */
    public BigBioReader() {
        this(new ObjectMapper());
    }

    /** Every page of {@code file}, in file order. */
    public List<Page> read(Path file) {
        return LocatedPage.pages(readLocated(file));
    }

    /** Every page of {@code file} with the line where it starts, in file order. */
    List<LocatedPage> readLocated(Path file) {
        boolean array = firstCharacter(file) == '[';
        try (BufferedReader in = Utf8Input.open(file)) {
            return array ? arrayPages(in, file.toString()) : linePages(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The first character of {@code file} that is not white space (a byte-order mark skipped), or -1. */
    static int firstCharacter(Path file) {
        try (BufferedReader in = Utf8Input.open(file)) {
            int c;
            do {
                c = in.read();
            } while (c != -1 && Character.isWhitespace(c));
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Pages from a JSON array held in {@code json} ({@code source} names it in messages). */
    public List<Page> readArray(Reader json, String source) throws IOException {
        return LocatedPage.pages(arrayPages(json, source));
    }

    private List<LocatedPage> arrayPages(Reader json, String source) throws IOException {
        List<LocatedPage> pages = new ArrayList<>();
        try (JsonParser parser = mapper.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new InputException(source + ":" + line(parser.currentLocation())
                        + ": expected a JSON array of pages");
            }
            while (true) {
                JsonToken t = parser.nextToken();
                if (t == JsonToken.END_ARRAY) break;
                long line = parser.currentTokenLocation().getLineNr();
                if (t != JsonToken.START_OBJECT) {
                    throw new InputException(source + ":" + line + ": page " + (pages.size() + 1)
                            + " is not a JSON object");
                }
                JsonNode node = mapper.readTree(parser);
                pages.add(new LocatedPage(PageJson.toPage(node, source + ":" + line, "page " + (pages.size() + 1)), line));
            }
            if (parser.nextToken() != null) {
                throw new InputException(source + ":" + line(parser.currentTokenLocation())
                        + ": unexpected content after the array of pages");
            }
        } catch (JsonProcessingException e) {
            throw malformed(source, e);
        }
        return pages;
    }

    /** Pages from JSON Lines: one page object per non-blank line. */
    public List<Page> readLines(BufferedReader in, String source) throws IOException {
        return LocatedPage.pages(linePages(in, source));
    }

    private List<LocatedPage> linePages(BufferedReader in, String source) throws IOException {
        List<LocatedPage> pages = new ArrayList<>();
        String text;
        int lineNr = 0;
        while ((text = in.readLine()) != null) {
            lineNr++;
            if (text.isBlank()) continue;
            if (lineNr == 1 && text.charAt(0) == '\uFEFF') text = text.substring(1);
            JsonNode node;
            try {
                node = lineReader.readTree(text);
            } catch (JsonProcessingException e) {
                String column = e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")";
                throw new InputException(source + ":" + lineNr + ": malformed JSON" + column + ": "
                        + e.getOriginalMessage(), e);
            }
            if (node == null || !node.isObject()) {
                throw new InputException(source + ":" + lineNr + ": expected one JSON page object per line");
            }
            pages.add(new LocatedPage(PageJson.toPage(node, source + ":" + lineNr, "the page"), lineNr));
        }
        return pages;
    }

    private static InputException malformed(String source, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String where = loc == null ? "" : line(loc) + ": ";
        return new InputException(source + ":" + where + "malformed JSON: " + e.getOriginalMessage(), e);
    }

    private static String line(JsonLocation loc) {
        return loc.getLineNr() + (loc.getColumnNr() > 0 ? " (column " + loc.getColumnNr() + ")" : "");
    }

    /** Converts one page tree to a {@link Page}, checking every field the linker reads. */
    static final class PageJson {
        private PageJson() {
        }

        /** {@code where} (file and line) and {@code which} (e.g. "page 3") say where the page is in messages. */
        static Page toPage(JsonNode node, String where, String which) {
            String id = scalar(node, "id", where + ": " + which);
            if (id == null) throw new InputException(where + ": " + which + " has no field 'id'");
            String ctx = where + ": document " + MessageText.quote(id);
            List<Passage> passages = new ArrayList<>();
            JsonNode ps = array(node, "passages", ctx);
            for (int i = 0; i < ps.size(); i++) {
                passages.add(passage(object(ps.get(i), ctx + ", passage " + i), ctx + ", passage " + i));
            }
            List<Entity> entities = new ArrayList<>();
            JsonNode es = array(node, "entities", ctx);
            for (int i = 0; i < es.size(); i++) {
                JsonNode e = object(es.get(i), ctx + ", entity #" + (i + 1));
                String eid = scalar(e, "id", ctx + ", entity #" + (i + 1));
                String ectx = ctx + ", entity " + (eid == null ? "#" + (i + 1) : MessageText.quote(eid));
                entities.add(entity(e, ectx, eid));
            }
            return new Page(id, scalar(node, "document_id", ctx), passages, entities);
        }

        /** Field {@code name} of {@code node} as an array: empty when absent or null. */
        private static JsonNode array(JsonNode node, String name, String ctx) {
            JsonNode a = node.path(name);
            if (a.isMissingNode() || a.isNull()) return MissingNode.getInstance();
            if (!a.isArray()) throw new InputException(ctx + ": field '" + name + "' must be an array");
            return a;
        }

        private static JsonNode object(JsonNode n, String ctx) {
            if (!n.isObject()) throw new InputException(ctx + " is not a JSON object");
            return n;
        }

        private static Passage passage(JsonNode p, String ctx) {
            JsonNode texts = p.get("text");
            if (texts == null || !texts.isArray() || texts.isEmpty() || !texts.get(0).isTextual()) {
                throw new InputException(ctx + ": field 'text' must be a list holding one string");
            }
            List<Span> offsets = spans(p.get("offsets"), ctx);
            if (offsets.isEmpty()) throw new InputException(ctx + ": field 'offsets' is empty");
            Span s = offsets.getFirst();
            return new Passage(texts.get(0).asText(), s.start(), s.end());
        }

        private static Entity entity(JsonNode e, String ctx, String id) {
            String type = scalar(e, "type", ctx);
            if (type == null || type.isBlank()) throw new InputException(ctx + ": field 'type' (the semantic group) is missing");
            JsonNode texts = e.get("text");
            if (texts == null || !texts.isArray()) {
                throw new InputException(ctx + ": field 'text' must be a list of strings");
            }
            List<String> strings = new ArrayList<>();
            for (JsonNode t : texts) {
                if (!t.isTextual()) throw new InputException(ctx + ": field 'text' must be a list of strings");
                strings.add(t.asText());
            }
            List<Span> offsets = spans(e.get("offsets"), ctx);
            if (offsets.isEmpty()) throw new InputException(ctx + ": field 'offsets' is empty");
            List<Normalization> normalized = new ArrayList<>();
            JsonNode ns = e.get("normalized");
            if (ns != null && !ns.isNull()) {
                if (!ns.isArray()) throw new InputException(ctx + ": field 'normalized' must be a list");
                for (JsonNode n : ns) {
                    object(n, ctx + ", an entry of field 'normalized'");
                    String dbId = scalar(n, "db_id", ctx);
                    if (dbId == null) throw new InputException(ctx + ": field 'normalized[].db_id' is missing");
                    normalized.add(new Normalization(scalar(n, "db_name", ctx), dbId, scalar(n, "db_match", ctx)));
                }
            }
            return new Entity(id, type, strings, offsets, normalized);
        }

        private static List<Span> spans(JsonNode offsets, String ctx) {
            if (offsets == null || !offsets.isArray()) {
                throw new InputException(ctx + ": field 'offsets' must be a list of [start, end] pairs");
            }
            List<Span> spans = new ArrayList<>();
            for (JsonNode pair : offsets) {
                if (!pair.isArray() || pair.size() != 2 || !pair.get(0).canConvertToInt()
                        || !pair.get(1).canConvertToInt() || !pair.get(0).isIntegralNumber()
                        || !pair.get(1).isIntegralNumber()) {
                    throw new InputException(ctx + ": field 'offsets' must be a list of [start, end] pairs of 32-bit "
                            + "integers, got " + MessageText.quote(pair.toString()));
                }
                spans.add(new Span(pair.get(0).asInt(), pair.get(1).asInt()));
            }
            return spans;
        }

        /** Field {@code name} of {@code node} as text: null when absent or null; a string or a number otherwise. */
        private static String scalar(JsonNode node, String name, String ctx) {
            JsonNode n = node.get(name);
            if (n == null || n.isNull()) return null;
            if (!n.isTextual() && !n.isNumber()) {
                throw new InputException(ctx + ": field '" + name + "' must be a string, got " + n.getNodeType()
                        .name().toLowerCase(Locale.ROOT));
            }
            return n.asText();
        }
    }
}
