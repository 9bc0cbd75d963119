package org.longbel.linker.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.longbel.linker.text.PyStrings;

/**
 * The text of one synthetic passage: filler words with the mentions spread among them at random gaps
 * (never two mentions side by side), one space between words, sentences of 10-24 words in an abstract
 * (a title is one sentence), each ending with a period, an occasional comma after a content word.
 * Punctuation follows a mention's span, never enters it.
 *
 * @param text  the passage text
 * @param words whitespace-separated words of the text
 * @param spans where each mention lies, in code points from the passage start, in mention order
 */
record PassageText(String text, int words, List<Placed> spans) {
    /** Shortest and longest abstract sentence, in words. */
    static final int MIN_SENTENCE = 10, MAX_SENTENCE = 24;
    /** Chance of a comma after a content filler word that does not end a sentence. */
    static final double COMMA_SHARE = 0.06;

    /** A mention placed at {@code [start, end)} (code points, relative to the passage). */
    record Placed(int start, int end, PlannedMention mention) {
    }

    /**
     * Lays out {@code mentions} in a passage of about {@code wordTarget} words: as many filler words as the
     * target leaves after the mentions' own words, but at least one between consecutive mentions (and at
     * least one word in all).
     */
    static PassageText build(List<PlannedMention> mentions, int wordTarget, boolean sentences, SplittableRandom rnd) {
        int mentionWords = 0;
        for (PlannedMention m : mentions) mentionWords += CorpusStats.wordCount(m.name());
        int fillers = Math.max(wordTarget - mentionWords, Math.max(mentions.size() - 1, mentions.isEmpty() ? 1 : 0));
        boolean[] mentionBefore = distinctGaps(fillers + 1, mentions.size(), rnd);

        StringBuilder sb = new StringBuilder();
        List<Placed> spans = new ArrayList<>(mentions.size());
        int cp = 0, words = 0, inSentence = 0, items = fillers + mentions.size(), emitted = 0, m = 0;
        int sentenceLength = sentences ? rnd.nextInt(MIN_SENTENCE, MAX_SENTENCE + 1) : Integer.MAX_VALUE;
        boolean sentenceStart = true;
        for (int gap = 0; gap <= fillers; gap++) {
            for (int pass = 0; pass < 2; pass++) {
                boolean mention = pass == 0;
                if (mention ? !mentionBefore[gap] : gap == fillers) continue;
                if (!sb.isEmpty()) {
                    sb.append(' ');
                    cp++;
                }
                String piece;
                if (mention) {
                    PlannedMention pm = mentions.get(m++);
                    piece = pm.name();
                    spans.add(new Placed(cp, cp + PyStrings.length(piece), pm));
                } else {
                    piece = FillerWords.draw(rnd);
                    if (sentenceStart) piece = FillerWords.capitalized(piece);
                }
                sb.append(piece);
                cp += PyStrings.length(piece);
                int w = mention ? CorpusStats.wordCount(piece) : 1;
                words += w;
                inSentence += w;
                sentenceStart = false;
                emitted++;
                if (emitted == items || inSentence >= sentenceLength) {
                    sb.append('.');
                    cp++;
                    sentenceStart = true;
                    inSentence = 0;
                    if (sentences) sentenceLength = rnd.nextInt(MIN_SENTENCE, MAX_SENTENCE + 1);
                } else if (!mention && !FillerWords.FUNCTION.contains(piece.toLowerCase(Locale.ROOT)) && rnd.nextDouble() < COMMA_SHARE) {
                    sb.append(',');
                    cp++;
                }
            }
        }
        return new PassageText(sb.toString(), words, List.copyOf(spans));
    }

    /** {@code k} distinct gaps among {@code n}, drawn uniformly (Floyd's algorithm). */
    private static boolean[] distinctGaps(int n, int k, SplittableRandom rnd) {
        boolean[] chosen = new boolean[n];
        for (int j = n - k; j < n; j++) {
            int t = rnd.nextInt(j + 1);
            if (chosen[t]) chosen[j] = true;
            else chosen[t] = true;
        }
        return chosen;
    }
}
