package org.longbel.linker;

import org.junit.jupiter.api.Test;
import org.longbel.decoding.Constraint;
import org.longbel.decoding.DecodingException;
import org.longbel.decoding.DecodingMode;
import org.longbel.decoding.DecodingResult;
import org.longbel.decoding.Hypothesis;
import org.longbel.decoding.TrieConstraint;
import org.longbel.decoding.Unconstrained;
import org.longbel.kb.TokenTrie;
import org.longbel.linker.document.Entity;
import org.longbel.linker.document.Page;
import org.longbel.linker.document.Passage;
import org.longbel.linker.document.Span;
import org.longbel.linker.output.ConceptIndex;
import org.longbel.linker.output.Prediction;
import org.longbel.linker.output.TokenIds;
import org.longbel.linker.prompt.MentionExtractor;
import org.longbel.linker.prompt.PromptBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipeline around the decoder, with a character-level codec (one token per UTF-16 unit; BOS,
 * EOS and {@code <+>} as private-use characters) and a scripted decoder, so each path is checked
 * by hand: memory lines, error records, NO_CODE / NO_PREDICTION, empty documents.
 */
class DocumentLinkerTest {
    static final int BOS = 0xE000;
    static final int EOS = 0xE001;
    static final int PLUS = 0xE002;

    /** Encodes each char as its code; decodes back, BOS/EOS/<+> as their token strings. */
    static final PromptCodec CHARS = new PromptCodec() {
        @Override
        public int[] encodeWithBos(String prompt) {
            int[] ids = new int[prompt.length() + 1];
            ids[0] = BOS;
            for (int i = 0; i < prompt.length(); i++) ids[i + 1] = prompt.charAt(i);
            return ids;
        }

        @Override
        public String decodeWithSpecials(int[] ids) {
            StringBuilder s = new StringBuilder();
            for (int id : ids) {
                s.append(switch (id) {
                    case BOS -> "<|begin_of_text|>";
                    case EOS -> "<|eot_id|>";
                    case PLUS -> "<+>";
                    default -> String.valueOf((char) id);
                });
            }
            return s.toString().replace(" ,", ",");
        }

        @Override
        public TokenIds tokenIds() {
            return new TokenIds(BOS, EOS, EOS, '}', PLUS);
        }
    };

    /** A KB with group Disorders only; names map to codes; no trie needed by the scripted decoder. */
    static final ConceptIndex KB = new ConceptIndex() {
        final Map<String, String> names = Map.of("Chest pain", "C1", "Pain , chest", "C2");

        @Override public boolean hasGroup(String group) { return group.equals("Disorders"); }
        @Override public TokenTrie trie(String group) { return EMPTY_TRIE; }
        @Override public String name(String group, int entry) { throw new AssertionError(); }
        @Override public String code(String group, int entry) { throw new AssertionError(); }
        @Override public String codeOf(String group, String name) { return names.get(name); }
    };

    static final TokenTrie EMPTY_TRIE = new TokenTrie() {
        @Override public int root() { return 0; }
        @Override public int child(int node, int token) { return NO_NODE; }
        @Override public int childCount(int node) { return 0; }
        @Override public int childToken(int node, int index) { throw new IndexOutOfBoundsException(); }
        @Override public int entryAt(int node) { return -1; }
    };

    /** Returns the given generations (text + EOS) for successive mentions, recording the calls. */
    static class Scripted implements MentionDecoder {
        final List<String> generations;
        final List<String> prompts = new ArrayList<>();
        final List<Constraint> constraints = new ArrayList<>();
        final int context;

        Scripted(int context, String... generations) {
            this.context = context;
            this.generations = List.of(generations);
        }

        @Override
        public DecodingResult decode(int[] promptIds, Constraint constraint, long seed, CancellationToken cancel) {
            prompts.add(CHARS.decodeWithSpecials(promptIds));
            constraints.add(constraint);
            String text = generations.get(prompts.size() - 1);
            int[] tokens = new int[text.length() + 1];
            for (int i = 0; i < text.length(); i++) tokens[i] = text.charAt(i);
            tokens[text.length()] = EOS;
            boolean[] special = new boolean[tokens.length];
            special[text.length()] = true;
            float[] lp = new float[tokens.length];
            java.util.Arrays.fill(lp, (float) Math.log(0.5));
            double[] compat = new double[tokens.length];
            java.util.Arrays.fill(compat, Math.log(0.25));
            compat[text.length()] = Double.NaN;
            Hypothesis h = new Hypothesis(tokens, (float) Math.log(0.5), lp, lp, compat, new int[tokens.length], special);
            return new DecodingResult(DecodingMode.GREEDY, List.of(h), tokens.length, 1.0);
        }

        @Override
        public int maxPositions() {
            return context;
        }
    }

    static Page page(Entity... entities) {
        return new Page("d", null, List.of(new Passage("Chest pain and fever today", 0, 26)), List.of(entities));
    }

    static Entity entity(String id, String type, int start, int end, String text) {
        return new Entity(id, type, List.of(text), List.of(new Span(start, end)), List.of());
    }

    static List<Prediction> link(Page page, MentionDecoder decoder, SampleOptions o, List<String> warnings) {
        return new DocumentLinker(CHARS, KB, o).link(page, decoder, new LinkListener() {
            @Override public void onWarning(String message) { warnings.add(message); }
        }, new CancellationToken());
    }

    static final SampleOptions GREEDY = SampleOptions.defaults().withNumBeams(1).withDeterministic(true);

    @Test
    void memoryLinesFeedTheNextPromptsAndTextParseGivesCodes() {
        Scripted decoder = new Scripted(4096, "", " Chest pain", " Pain , chest", "");
        List<String> warnings = new ArrayList<>();
        List<Prediction> ps = link(page(entity("T1", "Disorders", 0, 10, "Chest pain"),
                entity("T2", "Disorders", 11, 14, "and"), entity("T3", "Disorders", 15, 20, "fever"),
                entity("T4", "Disorders", 21, 26, "today")), decoder, GREEDY, warnings);
        assertTrue(warnings.isEmpty());
        assertEquals(4, ps.size());
        // nothing generated and no earlier "} ": NO_PREDICTION
        assertEquals(Prediction.NO_PREDICTION, ps.get(0).predName());
        assertEquals(Prediction.NO_CODE, ps.get(0).predCode());
        // no trie leaf (empty trie) -> text parse
        assertEquals("Chest pain", ps.get(1).predName());
        assertEquals("C1", ps.get(1).predCode());
        // " ," is cleaned by the decode: the KB name is lost, NO_CODE as in the reference
        assertEquals("Pain, chest", ps.get(2).predName());
        assertEquals(Prediction.NO_CODE, ps.get(2).predCode());
        // nothing generated but memory lines hold "} ": the parse takes the tail of the last one
        assertEquals("Pain, chest\n\n### Prediction\n[today]{Disorders}", ps.get(3).predName());
        assertTrue(Double.isNaN(ps.get(1).beamScore()));
        assertEquals(0.5, ps.get(1).score(), 1e-6);
        assertEquals("<|begin_of_text|>### Context\nChest pain and fever [today]\n\n### Previous Normalizations\n"
                + "[Chest pain]{Disorders}\n[and]{Disorders} Chest pain\n[fever]{Disorders} Pain, chest\n\n"
                + "### Prediction\n[today]{Disorders}", decoder.prompts.get(3));
        assertInstanceOf(TrieConstraint.class, decoder.constraints.getFirst());
    }

    @Test
    void referenceCompatUsesTheWrappersScore() {
        Scripted decoder = new Scripted(4096, " Chest pain");
        List<Prediction> ps = link(page(entity("T1", "Disorders", 0, 10, "Chest pain")), decoder,
                GREEDY.withReferenceCompat(true), new ArrayList<>());
        assertEquals(0.25, ps.getFirst().score(), 1e-6);
        assertEquals("C1", ps.getFirst().predCode());
    }

    @Test
    void unknownGroupGivesErrorRecordsOneWarningAndATargetOnlyMemoryLine() {
        Scripted decoder = new Scripted(4096, " Chest pain");
        List<String> warnings = new ArrayList<>();
        List<Prediction> ps = link(page(entity("T1", "Signs", 0, 5, "Chest"), entity("T2", "Signs", 6, 10, "pain"),
                entity("T3", "Disorders", 15, 20, "fever")), decoder, SampleOptions.defaults().withDeterministic(true),
                warnings);
        assertEquals(11, ps.size()); // 5 error ranks for each Signs mention, then the decoded one
        for (Prediction p : ps.subList(0, 10)) {
            assertEquals(Prediction.NO_PREDICTION, p.predName());
            assertEquals(Prediction.NO_CODE, p.predCode());
            assertEquals("semantic group 'Signs' is not in the knowledge base", p.error());
        }
        assertNull(ps.get(10).error());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().contains("'Signs'") && warnings.getFirst().contains("d.1"), warnings.getFirst());
        assertEquals(1, decoder.prompts.size());
        assertTrue(decoder.prompts.getFirst().contains("### Previous Normalizations\n[Chest]{Signs}\n[pain]{Signs}\n\n"),
                decoder.prompts.getFirst());
    }

    @Test
    void unknownGroupIsFineWithoutTheConstraint() {
        Scripted decoder = new Scripted(4096, " Chest pain");
        List<Prediction> ps = link(page(entity("T1", "Signs", 0, 5, "Chest")), decoder,
                GREEDY.withConstrained(false), new ArrayList<>());
        assertNull(ps.getFirst().error());
        assertEquals(Prediction.NO_CODE, ps.getFirst().predCode());
        assertEquals(Unconstrained.INSTANCE, decoder.constraints.getFirst());
    }

    @Test
    void promptLongerThanTheContextGetsAnErrorRecord() {
        Scripted decoder = new Scripted(200);
        List<Prediction> ps = link(page(entity("T1", "Disorders", 0, 10, "Chest pain")), decoder, GREEDY, new ArrayList<>());
        assertEquals(1, ps.size());
        assertTrue(ps.getFirst().error().matches("prompt of \\d+ tokens \\+ 128 new tokens exceeds the model's "
                + "context of 200 positions"), ps.getFirst().error());
        assertTrue(decoder.prompts.isEmpty());
    }

    @Test
    void aPromptThatJustFitsTheContextIsDecoded() {
        Page page = page(entity("T1", "Disorders", 0, 10, "Chest pain"));
        int promptLength = PromptBuilder.prompt(MentionExtractor.mentions(page).getFirst(), "").length() + 1;
        // positions used: the prompt, then every new token but the last (it is never fed back)
        Scripted fits = new Scripted(promptLength + 128 - 1, " Chest pain");
        assertEquals("C1", link(page, fits, GREEDY, new ArrayList<>()).getFirst().predCode());
        Scripted tooShort = new Scripted(promptLength + 128 - 2, " Chest pain");
        assertTrue(link(page, tooShort, GREEDY, new ArrayList<>()).getFirst().error().startsWith("prompt of "));
        assertTrue(tooShort.prompts.isEmpty());
    }

    /** A decoder whose first mention fails with {@code failure}; the second generates " Chest pain". */
    static Scripted failingFirst(RuntimeException failure) {
        return new Scripted(4096, "unused", " Chest pain") {
            @Override
            public DecodingResult decode(int[] promptIds, Constraint constraint, long seed, CancellationToken cancel) {
                if (prompts.isEmpty()) {
                    prompts.add("failed");
                    throw failure;
                }
                return super.decode(promptIds, constraint, seed, cancel);
            }
        };
    }

    /** Two mentions, "Chest" then "pain", both Disorders. */
    static final Page TWO_MENTIONS = page(entity("T1", "Disorders", 0, 5, "Chest"), entity("T2", "Disorders", 6, 10, "pain"));

    @Test
    void kvCacheOverflowGivesAnErrorRecordAndTheRestGoesOn() {
        Scripted decoder = failingFirst(new org.longbel.core.KvCacheFullException("budget exceeded"));
        List<Prediction> ps = link(TWO_MENTIONS, decoder, GREEDY, new ArrayList<>());
        assertEquals(2, ps.size());
        assertTrue(ps.get(0).error().startsWith("the KV-cache budget is too small"), ps.get(0).error());
        assertEquals("C1", ps.get(1).predCode());
        assertTrue(decoder.prompts.get(1).contains("### Previous Normalizations\n[Chest]{Disorders}\n\n"));
    }

    @Test
    void anUnsatisfiableConstraintGivesAnErrorRecordAndTheRestGoesOn() {
        Scripted decoder = failingFirst(
                new DecodingException("constraint is unsatisfiable: no token allowed after 0 generated tokens []"));
        List<Prediction> ps = link(TWO_MENTIONS, decoder, GREEDY, new ArrayList<>());
        assertEquals(2, ps.size());
        assertEquals("decoding failed: constraint is unsatisfiable: no token allowed after 0 generated tokens []",
                ps.get(0).error());
        assertEquals(Prediction.NO_PREDICTION, ps.get(0).predName());
        assertEquals("C1", ps.get(1).predCode());
    }

    @Test
    void emptyDocumentGivesNothing() {
        Scripted decoder = new Scripted(4096);
        assertTrue(link(page(), decoder, GREEDY, new ArrayList<>()).isEmpty());
    }

    @Test
    void mentionSeedsDependOnlyOnSeedAndMentionId() {
        assertEquals(DocumentLinker.mentionSeed(7, "d.1"), DocumentLinker.mentionSeed(7, "d.1"));
        assertTrue(DocumentLinker.mentionSeed(7, "d.1") != DocumentLinker.mentionSeed(7, "d.2"));
        assertTrue(DocumentLinker.mentionSeed(7, "d.1") != DocumentLinker.mentionSeed(8, "d.1"));
    }

}
