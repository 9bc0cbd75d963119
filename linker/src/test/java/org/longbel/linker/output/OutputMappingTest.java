package org.longbel.linker.output;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.longbel.kb.KnowledgeBase;
import org.longbel.linker.Fixtures;
import org.longbel.tokenizer.Tokenizer;

import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reference spec §6 by hand: trie leaves, the wrapper's text parse, the JSON form. */
class OutputMappingTest {
    private static KnowledgeBase kb;
    private static Tokenizer tokenizer;
    private static final int EOT = 128009;
    private static final int PLUS = 128256;

    @BeforeAll
    static void load() {
        tokenizer = Tokenizer.fromDirectory(Fixtures.tinyModel());
        kb = KnowledgeBase.load(Fixtures.path("kb/crafted_text_to_code.json"), Fixtures.tinyModel());
    }

    @AfterAll
    static void close() {
        kb.close();
    }

    /** The generated ids for a name: tokenize("} " + name) without BOS and "}", plus eos. */
    private static int[] generated(String... names) {
        int[] out = new int[0];
        for (int i = 0; i < names.length; i++) {
            int[] ids = tokenizer.encode("} " + names[i], false);
            int[] body = Arrays.copyOfRange(ids, 1, ids.length);
            int at = out.length;
            out = Arrays.copyOf(out, at + body.length + 1);
            System.arraycopy(body, 0, out, at, body.length);
            out[out.length - 1] = i == names.length - 1 ? EOT : PLUS;
        }
        return out;
    }

    private static TrieLeafResolver leaves() {
        return new TrieLeafResolver(ConceptIndex.of(kb), 92, EOT, EOT, PLUS);
    }

    @Test
    void trieLeafGivesTheExactKbNameAndCode() {
        Optional<NameCode> nc = leaves().resolve("Disorders", generated("Pain , chest"), false);
        assertEquals(new NameCode("Pain , chest", kb.code("Disorders", "Pain , chest")), nc.orElseThrow());
        Optional<NameCode> s = leaves().resolve("Geographic Areas", generated("'s-Hertogenbosch"), false);
        assertEquals("'s-Hertogenbosch", s.orElseThrow().name());
    }

    @Test
    void multipleAnswersJoinNamesAndDeduplicatedCodes() {
        NameCode nc = leaves().resolve("Chemicals & Drugs", generated("Aspirin", "Clopidogrel", "Aspirin"), true)
                .orElseThrow();
        assertEquals("Aspirin<+>Clopidogrel<+>Aspirin", nc.name());
        assertEquals(kb.code("Chemicals & Drugs", "Aspirin") + "+" + kb.code("Chemicals & Drugs", "Clopidogrel"), nc.code());
    }

    @Test
    void noLeafWithoutEosOrOffTheTrie() {
        int[] ids = generated("Aspirin");
        assertTrue(leaves().resolve("Chemicals & Drugs", Arrays.copyOf(ids, ids.length - 1), false).isEmpty());
        assertTrue(leaves().resolve("Chemicals & Drugs", new int[]{1000, EOT}, false).isEmpty());
        assertTrue(leaves().resolve("No Such Group", ids, false).isEmpty());
    }

    @Test
    void referenceTextParseQuirks() {
        ReferenceTextParser p = new ReferenceTextParser(ConceptIndex.of(kb));
        String aspirin = kb.code("Chemicals & Drugs", "Aspirin");
        assertEquals(new NameCode("Aspirin", aspirin), p.parse("x\n### Prediction\n[aspirin]{Chemicals & Drugs} Aspirin",
                "Chemicals & Drugs", false));
        // " ," was cleaned by the decode: the name is not in the KB any more
        assertEquals(new NameCode("Pain, chest", Prediction.NO_CODE), p.parse("[pain]{Disorders} Pain, chest",
                "Disorders", false));
        // "'s" ate the space after "}": the parse takes the tail of an earlier "} " (a memory line)
        assertEquals(new NameCode("Men\n\n### Prediction\n['s-Hertogenbosch]{Geographic Areas}'s-Hertogenbosch",
                Prediction.NO_CODE), p.parse("[man]{Living Beings} Men\n\n### Prediction\n['s-Hertogenbosch]"
                + "{Geographic Areas}'s-Hertogenbosch", "Geographic Areas", false));
        assertEquals(NameCode.NONE, p.parse("[x]{Disorders}", "Disorders", false));
        assertEquals(NameCode.NONE, p.parse("[x]{Disorders}    ", "Disorders", false));
        // multiple answers: codes looked up per piece, NO_CODE dropped when another code exists, sorted
        String clop = kb.code("Chemicals & Drugs", "Clopidogrel");
        NameCode multi = p.parse("[x]{Chemicals & Drugs} Clopidogrel<+>Aspirin<+>Nothing", "Chemicals & Drugs", true);
        assertEquals("Clopidogrel<+>Aspirin<+>Nothing", multi.name());
        assertEquals(String.join("+", new java.util.TreeSet<>(java.util.List.of(aspirin, clop))), multi.code());
        // without multiple answers a name holding <+> is NO_CODE
        assertEquals(Prediction.NO_CODE, p.parse("[x]{Chemicals & Drugs} Clopidogrel<+>Aspirin", "Chemicals & Drugs",
                false).code());
        assertEquals("Aspirin", p.parse("[x]{Chemicals & Drugs} Aspirin<SEP>", "Chemicals & Drugs", false).name());
    }

    @Test
    void jsonHasTheReferenceFieldsInOrderAndNullForNaN() {
        Prediction p = new Prediction("chest pain", "d", "d.1", 6, 16, "Disorders", "C0008031", "Chest pain",
                "Chest pain", "C0008031", 0.5, Double.NaN, 1, null, Double.NaN);
        assertEquals("{\"mention\":\"chest pain\",\"doc_id\":\"d\",\"mention_id\":\"d.1\",\"start_span\":6,"
                + "\"end_span\":16,\"semantic_group\":\"Disorders\",\"gold_concept_code\":\"C0008031\","
                + "\"gold_concept_name\":\"Chest pain\",\"pred_concept_name\":\"Chest pain\","
                + "\"pred_concept_code\":\"C0008031\",\"score\":0.5,\"beam_score\":null,\"rank\":1}",
                PredictionJson.toLine(p));
        Prediction e = new Prediction("x", "d", "d.2", 0, 1, "Signs", null, null, Prediction.NO_PREDICTION,
                Prediction.NO_CODE, 0.0, Double.NaN, 2, "semantic group 'Signs' is not in the knowledge base", Double.NaN);
        assertTrue(PredictionJson.toLine(e).endsWith("\"rank\":2,\"error\":\"semantic group 'Signs' is not in the "
                + "knowledge base\"}"));
        assertEquals("{\"mention_id\":\"d.1\",\"text\":\"a\\nb\",\"ids\":[1,2]}", PromptJson.toLine("d.1", "a\nb", new int[]{1, 2}));
    }
}
