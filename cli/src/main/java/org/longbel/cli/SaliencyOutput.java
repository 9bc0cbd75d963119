package org.longbel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.longbel.linker.SaliencyMap;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text renderings of saliency maps for {@code longbel link}: the JSON records ({@code --saliency-json}), one
 * standalone HTML page ({@code --saliency}) and the ANSI display ({@code --saliency-ansi}). No AWT here: the PNGs are
 * {@link SaliencyPng}'s, loaded only when asked for.
 */
final class SaliencyOutput {
    private SaliencyOutput() {
    }

    /** One map as the reference's record: {@code mention_id, doc_id, ..., rank} plus {@code generated_ids}. */
    static ObjectNode json(SaliencyMap m) {
        ObjectNode n = JsonOutput.object();
        n.put("mention_id", m.mentionId());
        n.put("doc_id", m.docId());
        n.put("mention", m.mention());
        n.put("start_span", m.startSpan());
        n.put("end_span", m.endSpan());
        n.put("semantic_group", m.semanticGroup());
        n.put("gold_concept_code", m.goldCode());
        n.put("gold_concept_name", m.goldName());
        n.put("input_sentence", m.inputSentence());
        ArrayNode ids = n.putArray("token_ids");
        for (int id : m.tokenIds()) ids.add(id);
        ArrayNode strings = n.putArray("token_strings");
        for (String s : m.tokenStrings()) strings.add(s);
        ArrayNode generated = n.putArray("generated_ids");
        for (int id : m.generatedIds()) generated.add(id);
        ArrayNode scores = n.putArray("saliency_scores");
        for (double s : m.scores()) scores.add(s);
        n.put("saliency_ansi", m.ansi());
        n.put("saliency_html", m.html());
        n.put("pred_concept_name", m.predName());
        n.put("pred_concept_code", m.predCode());
        n.put("score", m.score());
        n.put("rank", m.rank());
        return n;
    }

    /** The JSON array of every map, indented, with a final newline. */
    static void writeJson(Writer w, List<SaliencyMap> maps) throws IOException {
        ArrayNode all = JsonOutput.array();
        for (SaliencyMap m : maps) all.add(json(m));
        w.write(JsonOutput.indented(all));
        w.write('\n');
    }

    /** The ANSI display of one map (reference §7): {@code id mention: } spans without BOS {@code → name (code)}. */
    static String ansiLine(SaliencyMap m, int bos) {
        return m.mentionId() + " " + m.mention() + ": " + m.displayAnsi(bos);
    }

    /** A score scale of {@code steps + 1} swatches from 0 to 1. */
    private static final int LEGEND_STEPS = 10;

    /**
     * One standalone HTML5 page for every map, grouped by document in input order: a title, a legend of the colour
     * scale, then per mention its id, text, group, and the map (BOS span dropped) followed by {@code → name (code)}.
     * Written as XHTML-compatible HTML5 (every element closed, every text escaped), so an XML parser reads it too.
     * In the page (not in the records), control characters of a token show as their Unicode control pictures.
     */
    static void writeHtml(Writer w, List<SaliencyMap> maps, int bos, String title) throws IOException {
        Map<String, List<SaliencyMap>> byDoc = new LinkedHashMap<>();
        for (SaliencyMap m : maps) byDoc.computeIfAbsent(m.docId(), k -> new ArrayList<>()).add(m);
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
                .append(text(title)).append("</title>\n<style>\n")
                .append("body { font-family: sans-serif; margin: 2em; color: #222; }\n")
                .append(".map { font-family: monospace; white-space: pre-wrap; line-height: 1.6; border: 1px solid #ddd; ")
                .append("padding: 0.5em; }\n")
                .append(".pred { font-weight: bold; }\n")
                .append(".legend span { font-family: monospace; padding: 0 0.4em; }\n")
                .append("h3 code { font-weight: normal; color: #555; }\n")
                .append("</style>\n</head>\n<body>\n<h1>").append(text(title)).append("</h1>\n")
                .append("<p>").append(maps.size()).append(maps.size() == 1 ? " mention" : " mentions").append(" in ")
                .append(byDoc.size()).append(byDoc.size() == 1 ? " document" : " documents")
                .append(". Each prompt token's background shows how much its input embedding moves the log-probability "
                        + "of the top prediction (gradient L2 norm, divided by the largest of the prompt).</p>\n")
                .append("<p class=\"legend\">Scale: ");
        for (int i = 0; i <= LEGEND_STEPS; i++) {
            double s = (double) i / LEGEND_STEPS;
            b.append(SaliencyMap.span(String.format(Locale.ROOT, "%.1f", s), s));
        }
        b.append("</p>\n");
        for (Map.Entry<String, List<SaliencyMap>> doc : byDoc.entrySet()) {
            b.append("<section class=\"document\">\n<h2>Document ").append(text(doc.getKey())).append("</h2>\n");
            for (SaliencyMap m : doc.getValue()) {
                b.append("<div class=\"mention\">\n<h3><code>").append(text(m.mentionId())).append("</code> ")
                        .append(text(m.mention())).append(" <small>(").append(text(m.semanticGroup())).append(")</small></h3>\n")
                        .append("<div class=\"map\">");
                int from = m.tokenIds().length > 0 && m.tokenIds()[0] == bos ? 1 : 0;
                for (int i = from; i < m.tokenIds().length; i++) {
                    b.append(SaliencyMap.span(visible(m.tokenStrings().get(i)), m.scores()[i]));
                }
                b.append("<span class=\"pred\">").append(text(m.predictionSuffix())).append("</span></div>\n")
                        .append(String.format(Locale.ROOT, "<p>score %.4f</p>%n", m.score()))
                        .append("</div>\n");
            }
            b.append("</section>\n");
        }
        b.append("</body>\n</html>\n");
        w.write(b.toString());
    }

    /** Escaped text, control characters shown as pictures. */
    private static String text(String s) {
        return SaliencyMap.escapeHtml(visible(s));
    }

    /**
     * {@code s} with the C0 control characters other than tab and newline, and DEL, replaced by their Unicode control
     * pictures (U+2400..U+241F, U+2421), so that the page stays well-formed XML; a lone surrogate becomes U+FFFD.
     */
    static String visible(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            char r = c;
            if ((c < 0x20 && c != '\t' && c != '\n') || c == 0xFFFE || c == 0xFFFF) r = c < 0x20 ? (char) (0x2400 + c) : '\uFFFD';
            else if (c == 0x7F) r = '\u2421';
            else if (Character.isHighSurrogate(c) && (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))) r = '\uFFFD';
            else if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) r = '\uFFFD';
            if (r != c && b == null) b = new StringBuilder(s.substring(0, i));
            if (b != null) b.append(r);
        }
        return b == null ? s : b.toString();
    }
}
