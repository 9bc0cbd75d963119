package org.longbel.linker.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import org.longbel.linker.input.InputException;
import org.longbel.linker.input.MessageText;
import org.longbel.linker.input.Utf8Input;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads prediction records (JSON Lines as {@code longbel link} writes them) and applies the
 * protocol's filtering (reference spec §8): ranks above K dropped, duplicate (doc_id, mention_id,
 * rank) rows dropped, mentions whose gold code is missing or contains {@code NO_CODE} dropped,
 * composite codes normalised.
 */
public final class PredictionTable {
    private final List<ScoredMention> mentions;
    private final int skippedNoGold;

    private PredictionTable(List<ScoredMention> mentions, int skippedNoGold) {
        this.mentions = List.copyOf(mentions);
        this.skippedNoGold = skippedNoGold;
    }

    /** The evaluable mentions, in file order. */
    public List<ScoredMention> mentions() {
        return mentions;
    }

    /** Mentions left out because their gold code is missing or contains NO_CODE. */
    public int skippedNoGold() {
        return skippedNoGold;
    }

    /** One row of the input. */
    public record Row(String docId, String mentionId, String group, String goldCode, String predCode, int rank) {
    }

    /** Reads {@code file} (JSON Lines records) and applies the protocol with ranks up to {@code k}. */
    public static PredictionTable read(Path file, int k) {
        List<Row> rows = new ArrayList<>();
        // one record per line: a second value on a line is an error, not silently dropped
        ObjectReader reader = new ObjectMapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        try (BufferedReader in = Utf8Input.open(file)) {
            String line;
            int nr = 0;
            while ((line = in.readLine()) != null) {
                nr++;
                if (line.isBlank()) continue;
                JsonNode n;
                try {
                    n = reader.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new InputException(file + ":" + nr + ": malformed JSON: " + e.getOriginalMessage(), e);
                }
                if (n == null || !n.isObject()) throw new InputException(file + ":" + nr + ": expected one JSON record per line");
                rows.add(new Row(field(n, "doc_id", file, nr), field(n, "mention_id", file, nr),
                        field(n, "semantic_group", file, nr), optional(n, "gold_concept_code", file, nr),
                        optional(n, "pred_concept_code", file, nr), rank(n, file, nr)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return of(rows, k);
    }

    /** The protocol applied to {@code rows}. */
    public static PredictionTable of(List<Row> rows, int k) {
        Set<String> seen = new HashSet<>();
        Map<String, List<Row>> byMention = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.rank() > k) continue;
            if (!seen.add(r.docId() + "\u0000" + r.mentionId() + "\u0000" + r.rank())) continue;
            byMention.computeIfAbsent(r.docId() + "\u0000" + r.mentionId(), x -> new ArrayList<>()).add(r);
        }
        List<ScoredMention> out = new ArrayList<>();
        int skipped = 0;
        for (List<Row> ranks : byMention.values()) {
            Row first = ranks.getFirst();
            if (first.goldCode() == null || first.goldCode().contains("NO_CODE")) {
                skipped++;
                continue;
            }
            String gold = CodeNormalizer.normalize(first.goldCode());
            boolean at1 = false;
            boolean atK = false;
            for (Row r : ranks) {
                boolean hit = gold.equals(CodeNormalizer.normalize(r.predCode()));
                if (hit && r.rank() == 1) at1 = true;
                if (hit) atK = true;
            }
            out.add(new ScoredMention(first.docId(), first.group(), at1, atK));
        }
        return new PredictionTable(out, skipped);
    }

    private static String field(JsonNode n, String name, Path file, int nr) {
        String v = optional(n, name, file, nr);
        if (v == null) throw new InputException(file + ":" + nr + ": field '" + name + "' is missing");
        return v;
    }

    /** A string (or number) field; null when absent or null. */
    private static String optional(JsonNode n, String name, Path file, int nr) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual() && !v.isNumber()) {
            throw new InputException(file + ":" + nr + ": field '" + name + "' must be a string, got "
                    + v.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return v.asText();
    }

    /** The rank: a whole number from 1 (1.0 is accepted, as pandas writes it). */
    private static int rank(JsonNode n, Path file, int nr) {
        JsonNode v = n.get("rank");
        if (v == null || v.isNull()) throw new InputException(file + ":" + nr + ": field 'rank' is missing");
        boolean whole = v.isIntegralNumber() || (v.isFloatingPointNumber() && v.asDouble() == Math.rint(v.asDouble()));
        if (!v.isNumber() || !whole || !v.canConvertToInt() || v.asInt() < 1) {
            throw new InputException(file + ":" + nr + ": field 'rank' must be a whole number from 1 to "
                    + Integer.MAX_VALUE + ", got " + MessageText.quote(v.toString()));
        }
        return v.asInt();
    }
}
