package org.longbel.linker.prompt;

import org.junit.jupiter.api.Test;
import org.longbel.linker.document.Entity;
import org.longbel.linker.document.Normalization;
import org.longbel.linker.document.Page;
import org.longbel.linker.document.Passage;
import org.longbel.linker.document.Span;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expected strings derived by hand from reference spec §2-§3. */
class MentionExtractorTest {

    private static Entity entity(String id, String type, List<String> texts, List<Span> spans) {
        return new Entity(id, type, texts, spans, List.of());
    }

    @Test
    void seedExampleFirstPrompt() {
        String text = "A 29-year-old pregnant woman presented with severe-range hypertension, headache, and "
                + "epigastric pain. Laboratory testing showed proteinuria and mildly elevated liver enzymes. She was "
                + "admitted overnight with suspected PET and was started on urgent treatment.";
        Page page = new Page("001", "doc_001", List.of(new Passage(text, 0, 257)), List.of(
                entity("T4", "Disorders", List.of("PET"), List.of(new Span(217, 220))),
                entity("T1", "Living Beings", List.of("pregnant woman"), List.of(new Span(14, 28)))));
        List<Mention> ms = MentionExtractor.mentions(page);
        assertEquals(2, ms.size());
        Mention first = ms.getFirst();
        assertEquals("001.1", first.mentionId());
        assertEquals("[pregnant woman]{Living Beings}", first.target());
        assertEquals("### Context\nA 29-year-old [pregnant woman] presented with severe-range hypertension, headache, "
                + "and epigastric pain. Laboratory testing showed proteinuria and mildly elevated liver enzymes. She "
                + "was admitted overnight with suspected PET and was started on urgent treatment.\n\n"
                + "### Previous Normalizations\nNone\n\n### Prediction\n[pregnant woman]{Living Beings}",
                PromptBuilder.prompt(first, ""));
        Mention pet = ms.get(1);
        assertEquals("001.2", pet.mentionId());
        assertTrue(pet.context().endsWith("with suspected [PET] and was started on urgent treatment."));
        assertEquals("### Context\n" + pet.context() + "\n\n### Previous Normalizations\n"
                + "[pregnant woman]{Living Beings} Pregnant Women\n\n### Prediction\n[PET]{Disorders}",
                PromptBuilder.prompt(pet, "[pregnant woman]{Living Beings} Pregnant Women\n"));
    }

    @Test
    void discontinuousMarkersAreNotShifted() {
        // "pain" at [13,17), "left arm" at [35,43); the second pair is applied to the marked text
        // without the +2 shift, so it lands on "e left a"
        Page page = new Page("p", null, List.of(new Passage("He described pain radiating to the left arm.", 0, 44)),
                List.of(entity("T1", "Disorders", List.of("pain", "left arm"),
                        List.of(new Span(35, 43), new Span(13, 17)))));
        Mention m = MentionExtractor.mentions(page).getFirst();
        assertEquals("He described [pain] radiating to th[e left a]rm.", m.context());
        assertEquals("[pain left arm]{Disorders}", m.target());
        assertEquals(13, m.start());
        assertEquals(43, m.end());
    }

    @Test
    void earlierPassagesEndUpReversed() {
        List<Passage> ps = List.of(new Passage("P0", 0, 2), new Passage("P1", 3, 5), new Passage("P2", 6, 8),
                new Passage("P3", 9, 11));
        Page page = new Page("d", null, ps, List.of(
                entity("a", "Disorders", List.of("P3"), List.of(new Span(9, 11))),
                entity("b", "Disorders", List.of("P1"), List.of(new Span(3, 5)))));
        List<Mention> ms = MentionExtractor.mentions(page);
        assertEquals("P0\n[P1]\nP2\nP3", ms.get(0).context());
        assertEquals("P2\nP1\nP0\n[P3]", ms.get(1).context());
    }

    @Test
    void onlyFragmentsInTheMentionsPassageAreMarked() {
        List<Passage> ps = List.of(new Passage("pain in the", 0, 11), new Passage("left arm", 12, 20));
        Page page = new Page("d", null, ps, List.of(entity("T1", "Disorders", List.of("pain", "left arm"),
                List.of(new Span(0, 4), new Span(12, 20)))));
        Mention m = MentionExtractor.mentions(page).getFirst();
        assertEquals("[pain] in the\nleft arm", m.context());
        assertEquals(0, m.start());
        assertEquals(20, m.end());
    }

    @Test
    void sameSpanLaterEntityWinsAndOrderIsStartThenEnd() {
        Page page = new Page("d", null, List.of(new Passage("stent placement was done", 0, 24)), List.of(
                entity("T1", "Procedures", List.of("stent placement"), List.of(new Span(0, 15))),
                entity("T2", "Devices", List.of("stent"), List.of(new Span(0, 5))),
                entity("T3", "Procedures", List.of("placement"), List.of(new Span(6, 15))),
                entity("T4", "Physiology", List.of("placement"), List.of(new Span(6, 15)))));
        List<Mention> ms = MentionExtractor.mentions(page);
        assertEquals(3, ms.size());
        assertEquals(List.of("d.1", "d.2", "d.3"), ms.stream().map(Mention::mentionId).toList());
        assertEquals("[stent]{Devices}", ms.get(0).target());
        assertEquals("[stent placement]{Procedures}", ms.get(1).target());
        assertEquals("[placement]{Physiology}", ms.get(2).target());
        assertEquals("T4", ms.get(2).entityId());
    }

    @Test
    void bracketsNewlinesAndNoBreakSpacesAreCleaned() {
        String text = "a [b] {c}\nd\u00A0e";
        Page page = new Page("d", null, List.of(new Passage(text, 0, 13)), List.of(
                entity("T1", "Disorders", List.of("d\u00A0e"), List.of(new Span(10, 13))),
                entity("T2", "Chemicals & Drugs", List.of("[b]"), List.of(new Span(2, 5)))));
        List<Mention> ms = MentionExtractor.mentions(page);
        assertEquals("a [(b)] (c) d e", ms.get(0).context());
        assertEquals("[(b)]{Chemicals & Drugs}", ms.get(0).target());
        assertEquals("a (b) (c) [d e]", ms.get(1).context());
        assertEquals("[d e]{Disorders}", ms.get(1).target());
        assertEquals("d e", ms.get(1).text());
    }

    @Test
    void offsetsCountCodePointsLikePython() {
        Page page = new Page("d", null, List.of(new Passage("\uD83D\uDE00 pain", 0, 6)),
                List.of(entity("T1", "Disorders", List.of("pain"), List.of(new Span(2, 6)))));
        assertEquals("\uD83D\uDE00 [pain]", MentionExtractor.mentions(page).getFirst().context());
    }

    @Test
    void goldComesFromTheFirstNormalizedEntry() {
        Entity e = new Entity("T1", "Disorders", List.of("x"), List.of(new Span(0, 1)),
                List.of(new Normalization("UMLS", "C1", "One"), new Normalization("UMLS", "C2", "Two")));
        Entity noMatch = new Entity("T2", "Disorders", List.of("y"), List.of(new Span(2, 3)),
                List.of(new Normalization("UMLS", "C3", null)));
        Entity none = new Entity("T3", "Disorders", List.of("z"), List.of(new Span(4, 5)), List.of());
        List<Mention> ms = MentionExtractor.mentions(new Page("d", null, List.of(new Passage("x y z", 0, 5)),
                List.of(e, noMatch, none)));
        assertEquals("C1", ms.get(0).goldCode());
        assertEquals("One", ms.get(0).goldName());
        assertEquals("C3", ms.get(1).goldCode());
        assertNull(ms.get(1).goldName());
        assertNull(ms.get(2).goldCode());
    }

    @Test
    void pageWithoutEntitiesHasNoMention() {
        assertTrue(MentionExtractor.mentions(new Page("d", null, List.of(new Passage("text", 0, 4)), List.of()))
                .isEmpty());
    }

    @Test
    void promptRightStripsItsPartsAndWritesNoneForEmptyMemory() {
        assertEquals("### Context\nctx\n\n### Previous Normalizations\n[a]{G} A\n\n### Prediction\n[x]{G}",
                PromptBuilder.prompt("ctx \u00A0\n", "[x]{G}", "[a]{G} A\n"));
        assertEquals("### Context\nctx\n\n### Previous Normalizations\nNone\n\n### Prediction\n[x]{G}",
                PromptBuilder.prompt("ctx", "[x]{G}", ""));
    }
}
