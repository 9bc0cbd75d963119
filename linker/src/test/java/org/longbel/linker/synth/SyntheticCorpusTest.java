package org.longbel.linker.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longbel.kb.KbException;
import org.longbel.linker.Fixtures;
import org.longbel.linker.document.Entity;
import org.longbel.linker.document.Page;
import org.longbel.linker.document.Passage;
import org.longbel.linker.input.BigBioReader;
import org.longbel.linker.input.PageValidator;
import org.longbel.linker.prompt.Mention;
import org.longbel.linker.prompt.MentionExtractor;
import org.longbel.linker.text.PyStrings;

/** The synthetic corpus generator on the UMLS names sample KB. */
class SyntheticCorpusTest {
    private static ConceptPool pool;
    private static Map<String, Map<String, String>> kb;   // group -> name -> code, as the KB has it

    @TempDir
    Path dir;

    @BeforeAll
    static void readKb() {
        Path file = Fixtures.path("kb/umls_names_sample_text_to_code.json");
        pool = ConceptPool.read(file, ConceptPool.GroupChoice.st21pv());
        kb = new HashMap<>();
        var table = org.longbel.kb.KbSource.detect(file).read();
        for (String g : table.groups()) kb.put(g, table.names(g));
    }

    private static List<Page> generate(CorpusShape shape, int docs) {
        return new SyntheticCorpus(pool, shape).generate(docs);
    }

    @Test
    void poolKeepsTheSt21pvGroupsOfTheKb() {
        assertEquals(List.of("Anatomy", "Disorders", "Living Beings", "Chemicals & Drugs", "Procedures", "Objects",
                "Devices", "Physiology"), pool.groups());
        assertEquals(List.of("Geographic Areas", "Phenomena"), pool.skippedGroups());
        ConceptPool all = ConceptPool.read(Fixtures.path("kb/umls_names_sample_text_to_code.json"),
                new ConceptPool.GroupChoice(List.of(), true));
        assertEquals(10, all.groups().size());
        assertTrue(all.skippedGroups().isEmpty());
        ConceptPool two = ConceptPool.read(Fixtures.path("kb/umls_names_sample_text_to_code.json"),
                new ConceptPool.GroupChoice(List.of("Phenomena", "Devices"), false));
        assertEquals(List.of("Phenomena", "Devices"), two.groups());
    }

    @Test
    void sameSeedSamePagesOtherSeedOtherPages() {
        CorpusShape shape = CorpusShape.defaults().withSeed(7);
        List<Page> a = generate(shape, 12), b = generate(shape, 12);
        assertEquals(a, b);
        assertEquals(a.subList(0, 5), generate(shape, 5));   // a smaller corpus is a prefix of a larger one
        assertNotEquals(a, generate(shape.withSeed(8), 12));
    }

    @Test
    void idsPassagesAndRangesFollowTheShape() {
        List<Page> pages = generate(CorpusShape.defaults(), 200);
        assertEquals("synth-0001", pages.getFirst().id());
        assertEquals("synth-0200", pages.getLast().id());
        assertEquals(200, pages.stream().map(Page::id).distinct().count());
        Set<Integer> mentionCounts = new HashSet<>();
        for (Page p : pages) {
            assertEquals(2, p.passages().size());
            Passage title = p.passages().get(0), body = p.passages().get(1);
            assertEquals(0, title.start());
            assertEquals(title.end() + 1, body.start());
            int titleWords = CorpusStats.wordCount(title.text());
            assertTrue(titleWords >= 8, p.id() + " title " + title.text());
            assertTrue(titleWords <= 25, p.id() + " title " + title.text());   // 15 + room for long names
            int m = p.entities().size();
            mentionCounts.add(m);
            assertTrue(m >= 20 && m <= 45, p.id() + ": " + m + " mentions");
            int words = titleWords + CorpusStats.wordCount(body.text());
            assertTrue(words >= 200 && words <= 290, p.id() + ": " + words + " words");
            for (Entity e : p.entities()) assertTrue(pool.groups().contains(e.type()), e.type());
        }
        assertTrue(mentionCounts.contains(20) && mentionCounts.contains(45), "the whole range is drawn: " + mentionCounts);
        CorpusStats s = CorpusStats.of(pages);
        assertEquals(32.5, s.meanMentions(), 1.5);
        assertTrue(s.meanWords() >= 220 && s.meanWords() <= 240, "mean words " + s.meanWords());
        assertEquals(pool.groups().size(), s.groups().size());
    }

    @Test
    void fixedCountsAreExact() {
        CorpusShape shape = CorpusShape.defaults().withMentions(IntRange.of(30)).withWords(IntRange.of(220))
                .withTitleWords(IntRange.of(10));
        for (Page p : generate(shape, 30)) {
            assertEquals(30, p.entities().size());
            int words = CorpusStats.wordCount(p.passages().get(0).text()) + CorpusStats.wordCount(p.passages().get(1).text());
            assertTrue(words >= 220 && words <= 240, p.id() + ": " + words);   // exceeded only for long names in the title
        }
    }

    @Test
    void repeatedShareIsCloseToTheTarget() {
        for (double target : new double[] {0.0, 0.4, 0.7}) {
            CorpusStats s = CorpusStats.of(generate(CorpusShape.defaults().withRepeatShare(target), 100));
            assertEquals(target, s.repeatedShare(), 0.02, "target " + target);
        }
        // and per document, within one mention of the target
        for (Page p : generate(CorpusShape.defaults(), 50)) {
            CorpusStats s = CorpusStats.of(List.of(p));
            assertEquals(0.4 * s.mentions(), s.repeated(), 0.51, p.id());
        }
    }

    @Test
    void repeatsUseTheSameOrAnotherNameOfTheConcept() {
        int sameName = 0, otherName = 0;
        for (Page p : generate(CorpusShape.defaults(), 100)) {
            Map<String, String> firstName = new HashMap<>();
            for (Entity e : p.entities()) {
                String key = e.type() + "|" + e.normalized().getFirst().dbId();
                String first = firstName.putIfAbsent(key, e.texts().getFirst());
                if (first == null) continue;
                if (first.equals(e.texts().getFirst())) sameName++;
                else otherName++;
            }
        }
        assertTrue(sameName > 0 && otherName > 0, sameName + " / " + otherName);
    }

    @Test
    void entitiesAreKbNamesAtExactOffsets() {
        for (Page p : generate(CorpusShape.defaults().withSeed(3), 50)) {
            String doc = documentText(p);
            int previousEnd = -1;
            for (int i = 0; i < p.entities().size(); i++) {
                Entity e = p.entities().get(i);
                assertEquals("T" + (i + 1), e.id());
                assertEquals(1, e.offsets().size());
                int start = e.offsets().getFirst().start(), end = e.offsets().getFirst().end();
                String name = e.texts().getFirst();
                assertEquals(name, PyStrings.slice(doc, start, end), p.id() + " " + e.id());
                assertTrue(start > previousEnd, "mentions neither overlap nor touch: " + p.id() + " " + e.id());
                previousEnd = end;
                var n = e.normalized().getFirst();
                assertEquals("UMLS", n.dbName());
                assertEquals(name, n.dbMatch());
                assertEquals(kb.get(e.type()).get(name), n.dbId(), "the KB's code for " + name);
            }
        }
    }

    @Test
    void mentionsAreSpreadOverTheText() {
        int[] tenths = new int[10];
        for (Page p : generate(CorpusShape.defaults(), 100)) {
            double length = p.passages().get(1).end();
            for (Entity e : p.entities()) tenths[(int) Math.min(9, e.globalStart() / length * 10)]++;
        }
        int total = 0;
        for (int t : tenths) total += t;
        for (int i = 0; i < 10; i++) {
            assertTrue(tenths[i] > total / 20, "tenth " + i + " of the text holds " + tenths[i] + " of " + total);
        }
    }

    @Test
    void roundTripThroughBigBioReaderValidatorAndExtractor() throws IOException {
        List<Page> pages = generate(CorpusShape.defaults(), 25);
        for (String name : List.of("corpus.json", "corpus.jsonl")) {
            Path file = dir.resolve(name);
            CorpusFile.write(pages, file);
            assertEquals(pages, new BigBioReader().read(file), name);
        }
        assertTrue(Files.readString(dir.resolve("corpus.json")).startsWith("[\n{\"id\":\"synth-0001\",\"document_id\":\"synth-0001\",\"passages\":[{\"id\":\"0\",\"type\":\"title\""));
        for (Page p : pages) {
            List<String> warnings = new ArrayList<>();
            PageValidator.validate(p, "corpus.json", warnings::add);
            assertEquals(List.of(), warnings);
            List<Mention> mentions = MentionExtractor.mentions(p);
            assertEquals(p.entities().size(), mentions.size(), p.id());
            for (int i = 0; i < mentions.size(); i++) {
                Mention m = mentions.get(i);
                Entity e = p.entities().get(i);
                assertEquals(p.id() + "." + (i + 1), m.mentionId());
                assertEquals(e.texts().getFirst(), m.text());
                assertEquals(e.normalized().getFirst().dbId(), m.goldCode());
                assertTrue(m.context().contains("[" + e.texts().getFirst() + "]"), m.context());
            }
        }
    }

    @Test
    void writingIsAtomic() throws IOException {
        Path file = Files.writeString(dir.resolve("old.json"), "old");
        Page bad = new Page("x", null, List.of(), List.of());
        List<Page> pages = new ArrayList<>(List.of(bad));
        pages.add(null);   // the writer fails on the second page
        assertThrows(NullPointerException.class, () -> CorpusFile.write(pages, file));
        assertEquals("old", Files.readString(file));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left");
        }
    }

    @Test
    void smallPoolRunsOutOfNewConceptsAndRepeats() {
        Map<String, Map<String, String>> tiny = new LinkedHashMap<>();
        tiny.put("Disorders", Map.of("fever", "C1", "pyrexia", "C1", "cough", "C2"));
        ConceptPool small = ConceptPool.of(tiny, ConceptPool.GroupChoice.st21pv(), "tiny");
        Page p = new SyntheticCorpus(small, CorpusShape.defaults().withMentions(IntRange.of(10)).withRepeatShare(0)).generate(1).getFirst();
        assertEquals(10, p.entities().size());
        assertEquals(8, CorpusStats.of(List.of(p)).repeated());   // two concepts, named first once each
    }

    @Test
    void unusableNamesAreLeftOut() {
        assertTrue(ConceptPool.usable("Nervous System, Brain"));
        assertTrue(ConceptPool.usable("Poumons"));
        assertFalse(ConceptPool.usable(" fever"));
        assertFalse(ConceptPool.usable("fever\nchills"));
        assertFalse(ConceptPool.usable(""));
        Map<String, Map<String, String>> odd = Map.of("Disorders", Map.of("line\nbreak", "C1", "tab\there", "C2"));
        KbException e = assertThrows(KbException.class, () -> ConceptPool.of(odd, ConceptPool.GroupChoice.st21pv(), "odd.json"));
        assertTrue(e.getMessage().contains("odd.json") && e.getMessage().contains("no usable concept name"), e.getMessage());
    }

    @Test
    void badArgumentsAreClearErrors() throws IOException {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CorpusShape.defaults().withMentions(IntRange.of(0)))
                .getMessage().contains("mentions per document must be at least 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CorpusShape.defaults().withRepeatShare(1.0))
                .getMessage().contains("[0, 1)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IntRange.parse("20-"))
                .getMessage().contains("'20-'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IntRange.parse("45-20"))
                .getMessage().contains("ends before it starts"));
        assertEquals(new IntRange(20, 45), IntRange.parse(" 20 - 45 "));
        assertEquals(IntRange.of(30), IntRange.parse("30"));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticCorpus(pool, CorpusShape.defaults()).generate(0));

        Path empty = Files.writeString(dir.resolve("empty.json"), "{}");
        KbException noNames = assertThrows(KbException.class, () -> ConceptPool.read(empty, ConceptPool.GroupChoice.st21pv()));
        assertTrue(noNames.getMessage().contains("no usable concept name"), noNames.getMessage());
        Path emptyGroups = Files.writeString(dir.resolve("groups.json"), "{\"Disorders\": {}, \"Anatomy\": {}}");
        assertThrows(KbException.class, () -> ConceptPool.read(emptyGroups, ConceptPool.GroupChoice.st21pv()));
        KbException unknown = assertThrows(KbException.class, () -> ConceptPool.read(
                Fixtures.path("kb/umls_names_sample_text_to_code.json"), new ConceptPool.GroupChoice(List.of("Genes"), false)));
        assertTrue(unknown.getMessage().contains("no group \"Genes\""), unknown.getMessage());
    }

    @Test
    void readsATsvKb() throws IOException {
        Path tsv = Files.writeString(dir.resolve("kb.tsv"), "C1\tfever\tDisorders\nC1\tpyrexia\tDisorders\nC2\theart\tAnatomy\n");
        ConceptPool p = ConceptPool.read(tsv, ConceptPool.GroupChoice.st21pv());
        assertEquals(List.of("Disorders", "Anatomy"), p.groups());
        assertEquals(List.of("fever", "pyrexia"), p.concepts().getFirst().names());
        assertEquals("C2", p.concepts().getLast().code());
    }

    private static String documentText(Page p) {
        StringBuilder sb = new StringBuilder();
        for (Passage passage : p.passages()) {
            while (PyStrings.length(sb.toString()) < passage.start()) sb.append(' ');
            sb.append(passage.text());
        }
        return sb.toString();
    }
}
