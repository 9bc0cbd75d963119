package org.longbel.linker;

import java.util.List;

/**
 * The gradient saliency map of one mention's top beam (reference spec §7): how much each prompt token's input
 * embedding moves the log-probability of the generated answer. Built by {@link LongBel#sample} when
 * {@link SampleOptions#saliency()} is on; the record the reference wrapper returns, field for field.
 *
 * @param mention       cleaned mention text
 * @param docId         page id
 * @param mentionId     {@code <page id>.<k>}
 * @param startSpan     global start of the mention
 * @param endSpan       global end of the mention
 * @param semanticGroup the mention's group
 * @param goldCode      gold concept code, or null
 * @param goldName      gold concept name, or null
 * @param inputSentence the prompt text
 * @param tokenIds      the prompt's token ids, BOS included
 * @param tokenStrings  each prompt token decoded alone (no clean-up; special tokens as their text)
 * @param generatedIds  the top beam's generated ids (eos included)
 * @param scores        per prompt token, the L2 norm of the objective's gradient with respect to its input
 *                      embedding, divided by the largest (at least 1e-12): in [0, 1]
 * @param ansi          the tokens on 24-bit ANSI backgrounds ({@link #ansi(List, double[])})
 * @param html          the tokens as coloured HTML spans ({@link #html(List, double[])})
 * @param predName      the rank-1 prediction's name
 * @param predCode      the rank-1 prediction's code
 * @param score         the rank-1 prediction's {@code score}
 * @param rank          1
 */
public record SaliencyMap(String mention, String docId, String mentionId, int startSpan, int endSpan,
                          String semanticGroup, String goldCode, String goldName, String inputSentence,
                          int[] tokenIds, List<String> tokenStrings, int[] generatedIds, double[] scores,
                          String ansi, String html, String predName, String predCode, double score, int rank) {

    /** The smallest divisor of the normalisation (the reference's {@code max(max, 1e-12)}). */
    public static final double MIN_MAX = 1e-12;

    public SaliencyMap {
        tokenStrings = List.copyOf(tokenStrings);
        if (tokenIds.length != tokenStrings.size() || tokenIds.length != scores.length) {
            throw new IllegalArgumentException(tokenIds.length + " token ids, " + tokenStrings.size() + " strings, "
                    + scores.length + " scores");
        }
    }

    /** The prompt positions' norms ({@code norms[0..promptLength)}) divided by their largest, at least {@link #MIN_MAX}. */
    public static double[] normalise(double[] norms, int promptLength) {
        double max = MIN_MAX;
        for (int i = 0; i < promptLength; i++) max = Math.max(max, norms[i]);
        double[] out = new double[promptLength];
        for (int i = 0; i < promptLength; i++) out[i] = norms[i] / max;
        return out;
    }

    /** The green and blue channels of a score's colour: {@code int(255 * (1 - clip(s, 0, 1)))}, truncated (red is 255). */
    public static int fade(double s) {
        double c = Math.min(Math.max(s, 0.0), 1.0);
        return (int) (255 * (1 - c));
    }

    /** Each token on a background {@code \x1b[48;2;255;G;Bm ... \x1b[0m}, concatenated. */
    public static String ansi(List<String> tokens, double[] scores) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            int g = fade(scores[i]);
            b.append("\u001b[48;2;255;").append(g).append(';').append(g).append('m').append(tokens.get(i)).append("\u001b[0m");
        }
        return b.toString();
    }

    /** Each token, escaped, in a {@code <span style="background-color: rgb(255, G, B);">}, concatenated. */
    public static String html(List<String> tokens, double[] scores) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) b.append(span(tokens.get(i), scores[i]));
        return b.toString();
    }

    /** One token's span. */
    public static String span(String token, double score) {
        int g = fade(score);
        return "<span style=\"background-color: rgb(255, " + g + ", " + g + ");\">" + escapeHtml(token) + "</span>";
    }

    /** Python's {@code html.escape(s, quote=True)}: {@code & < > " '} as {@code &amp; &lt; &gt; &quot; &#x27;}. */
    public static String escapeHtml(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#x27;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Whether the first token is the BOS the display leaves out. */
    private boolean startsWithBos(int bos) {
        return tokenIds.length > 0 && tokenIds[0] == bos;
    }

    /** The prediction as the display appends it: {@code " → name (code)"}. */
    public String predictionSuffix() {
        return " \u2192 " + predName + " (" + predCode + ")";
    }

    /** The display's ANSI map (reference §7): the spans without the BOS one, then {@code " → name (code)"}. */
    public String displayAnsi(int bos) {
        int from = startsWithBos(bos) ? 1 : 0;
        return ansi(tokenStrings.subList(from, tokenStrings.size()), java.util.Arrays.copyOfRange(scores, from, scores.length))
                + predictionSuffix();
    }

    /** The display's HTML map: the spans without the BOS one, then the escaped {@code " → name (code)"}. */
    public String displayHtml(int bos) {
        int from = startsWithBos(bos) ? 1 : 0;
        return html(tokenStrings.subList(from, tokenStrings.size()), java.util.Arrays.copyOfRange(scores, from, scores.length))
                + escapeHtml(predictionSuffix());
    }
}
