package org.longbel.linker.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * A {@link Prediction} as one JSON object with the reference's field names and order
 * ({@code mention, doc_id, mention_id, start_span, end_span, semantic_group, gold_concept_code,
 * gold_concept_name, pred_concept_name, pred_concept_code, score, beam_score, rank}), then
 * {@code beam_score_untempered} in beam sampling and {@code error} when set. A NaN {@code beam_score} (one beam) is written as {@code null}, as the
 * reference's JSON does.
 */
public final class PredictionJson {
    private static final JsonFactory JSON = new JsonFactory();

    private PredictionJson() {
    }

    /** The record as one line of JSON (no newline). */
    public static String toLine(Prediction p) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes the record as one JSON object to {@code g}. */
    private static void write(JsonGenerator g, Prediction p) throws IOException {
        g.writeStartObject();
        g.writeStringField("mention", p.mention());
        g.writeStringField("doc_id", p.docId());
        g.writeStringField("mention_id", p.mentionId());
        g.writeNumberField("start_span", p.startSpan());
        g.writeNumberField("end_span", p.endSpan());
        g.writeStringField("semantic_group", p.semanticGroup());
        g.writeStringField("gold_concept_code", p.goldCode());
        g.writeStringField("gold_concept_name", p.goldName());
        g.writeStringField("pred_concept_name", p.predName());
        g.writeStringField("pred_concept_code", p.predCode());
        number(g, "score", p.score());
        number(g, "beam_score", p.beamScore());
        g.writeNumberField("rank", p.rank());
        if (!Double.isNaN(p.untemperedBeamScore())) g.writeNumberField("beam_score_untempered", p.untemperedBeamScore());
        if (p.error() != null) g.writeStringField("error", p.error());
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, String field, double v) throws IOException {
        if (Double.isNaN(v) || Double.isInfinite(v)) g.writeNullField(field);
        else g.writeNumberField(field, v);
    }
}
