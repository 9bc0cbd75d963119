package org.longbel.linker.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import org.longbel.linker.document.Entity;
import org.longbel.linker.document.Normalization;
import org.longbel.linker.document.Page;
import org.longbel.linker.document.Passage;
import org.longbel.linker.document.Span;

/**
 * Writes pages as BigBio-KB-like JSON (reference spec §2) that {@link org.longbel.linker.input.BigBioReader}
 * reads back into equal pages: a JSON array with one compact page per line, or JSON Lines. Fields the
 * page model does not hold get neutral values: passage {@code id} is its index, passage {@code type} comes
 * from a {@link PassageTypes} (default {@code paragraph}), {@code events}, {@code coreferences} and
 * {@code relations} are empty. Null ids, {@code document_id}, {@code db_name} and {@code db_match} are left
 * out, which reads back as null.
 */
public final class BigBioWriter {
    private static final JsonFactory JSON = new JsonFactory();

    /** The BigBio {@code type} of passage {@code index} of {@code page}. */
    @FunctionalInterface
    public interface PassageTypes {
        String type(Page page, int index);
    }

    /** Every passage is a {@code paragraph}. */
    public static final PassageTypes PARAGRAPHS = (page, index) -> "paragraph";

    /** PubMed's layout: passage 0 is the {@code title}, the others {@code abstract}. */
    public static final PassageTypes TITLE_ABSTRACT = (page, index) -> index == 0 ? "title" : "abstract";

    private final PassageTypes passageTypes;

    /** A writer naming passage types with {@code passageTypes}. */
    public BigBioWriter(PassageTypes passageTypes) {
        this.passageTypes = passageTypes;
    }

    /** A writer calling every passage a {@code paragraph}. */
    public BigBioWriter() {
        this(PARAGRAPHS);
    }

    /** Writes {@code pages} to {@code out}: JSON Lines when {@code jsonLines}, else a JSON array (one page a line). */
    public void write(List<Page> pages, Writer out, boolean jsonLines) throws IOException {
        if (!jsonLines) out.write(pages.isEmpty() ? "[" : "[\n");
        for (int i = 0; i < pages.size(); i++) {
            out.write(toLine(pages.get(i)));
            if (!jsonLines && i + 1 < pages.size()) out.write(',');
            out.write('\n');
        }
        if (!jsonLines) out.write("]\n");
    }

    /** One page as compact JSON (no line terminator). */
    public String toLine(Page page) {
        StringWriter s = new StringWriter(1024);
        try (JsonGenerator g = JSON.createGenerator(s)) {
            g.writeStartObject();
            g.writeStringField("id", page.id());
            if (page.documentId() != null) g.writeStringField("document_id", page.documentId());
            g.writeArrayFieldStart("passages");
            for (int i = 0; i < page.passages().size(); i++) {
                Passage p = page.passages().get(i);
                g.writeStartObject();
                g.writeStringField("id", Integer.toString(i));
                g.writeStringField("type", passageTypes.type(page, i));
                g.writeArrayFieldStart("text");
                g.writeString(p.text());
                g.writeEndArray();
                g.writeArrayFieldStart("offsets");
                span(g, p.start(), p.end());
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("entities");
            for (Entity e : page.entities()) entity(g, e);
            g.writeEndArray();
            for (String empty : List.of("events", "coreferences", "relations")) {
                g.writeArrayFieldStart(empty);
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s.toString();
    }

    private static void entity(JsonGenerator g, Entity e) throws IOException {
        g.writeStartObject();
        if (e.id() != null) g.writeStringField("id", e.id());
        g.writeStringField("type", e.type());
        g.writeArrayFieldStart("text");
        for (String t : e.texts()) g.writeString(t);
        g.writeEndArray();
        g.writeArrayFieldStart("offsets");
        for (Span s : e.offsets()) span(g, s.start(), s.end());
        g.writeEndArray();
        g.writeArrayFieldStart("normalized");
        for (Normalization n : e.normalized()) {
            g.writeStartObject();
            if (n.dbName() != null) g.writeStringField("db_name", n.dbName());
            g.writeStringField("db_id", n.dbId());
            if (n.dbMatch() != null) g.writeStringField("db_match", n.dbMatch());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void span(JsonGenerator g, int start, int end) throws IOException {
        g.writeStartArray();
        g.writeNumber(start);
        g.writeNumber(end);
        g.writeEndArray();
    }
}
