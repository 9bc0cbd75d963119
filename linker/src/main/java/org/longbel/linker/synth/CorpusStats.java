package org.longbel.linker.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.longbel.linker.document.Entity;
import org.longbel.linker.document.Page;
import org.longbel.linker.document.Passage;
import org.longbel.linker.text.PyStrings;

/**
 * The shape of a set of pages, measured on the pages themselves (so it describes any BigBio corpus, not
 * only a synthetic one). A mention repeats when its page named the same concept (same group and first
 * {@code normalized} code) at an earlier offset; mentions without a gold code never repeat.
 *
 * @param docs         pages
 * @param mentions     entities over all pages
 * @param minMentions  fewest entities in a page
 * @param maxMentions  most entities in a page
 * @param words        whitespace-separated words over all passages of all pages
 * @param minWords     fewest words in a page
 * @param maxWords     most words in a page
 * @param chars        code points over all passages of all pages
 * @param repeated     mentions repeating a concept of their page
 * @param groups       mentions per semantic group, most frequent first (ties by name)
 */
public record CorpusStats(int docs, long mentions, int minMentions, int maxMentions, long words, int minWords,
                          int maxWords, long chars, long repeated, Map<String, Long> groups) {

    /** Measures {@code pages}. */
    public static CorpusStats of(List<Page> pages) {
        long mentions = 0, words = 0, chars = 0, repeated = 0;
        int minM = Integer.MAX_VALUE, maxM = 0, minW = Integer.MAX_VALUE, maxW = 0;
        Map<String, Long> groups = new TreeMap<>();
        for (Page page : pages) {
            int w = 0;
            for (Passage p : page.passages()) {
                w += wordCount(p.text());
                chars += PyStrings.length(p.text());
            }
            words += w;
            minW = Math.min(minW, w);
            maxW = Math.max(maxW, w);
            int m = page.entities().size();
            mentions += m;
            minM = Math.min(minM, m);
            maxM = Math.max(maxM, m);
            List<Entity> ordered = new ArrayList<>(page.entities());
            ordered.sort(Comparator.comparingInt(Entity::globalStart));
            Set<List<String>> seen = new HashSet<>();
            for (Entity e : ordered) {
                groups.merge(e.type(), 1L, Long::sum);
                if (!e.normalized().isEmpty() && !seen.add(List.of(e.type(), e.normalized().getFirst().dbId()))) repeated++;
            }
        }
        Map<String, Long> byCount = new LinkedHashMap<>();
        groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> byCount.put(e.getKey(), e.getValue()));
        return pages.isEmpty() ? new CorpusStats(0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of())
                : new CorpusStats(pages.size(), mentions, minM, maxM, words, minW, maxW, chars, repeated,
                Collections.unmodifiableMap(byCount));
    }

    /** Mean entities per page. */
    public double meanMentions() {
        return docs == 0 ? 0 : (double) mentions / docs;
    }

    /** Mean words per page. */
    public double meanWords() {
        return docs == 0 ? 0 : (double) words / docs;
    }

    /** Mean code points per page. */
    public double meanChars() {
        return docs == 0 ? 0 : (double) chars / docs;
    }

    /** Share of the mentions that repeat a concept of their page. */
    public double repeatedShare() {
        return mentions == 0 ? 0 : (double) repeated / mentions;
    }

    /** Python's {@code len(s.split())}: runs of non-whitespace code points. */
    public static int wordCount(String s) {
        int n = 0;
        boolean inWord = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            boolean space = PyStrings.isSpace(cp);
            if (!space && !inWord) n++;
            inWord = !space;
            i += Character.charCount(cp);
        }
        return n;
    }
}
