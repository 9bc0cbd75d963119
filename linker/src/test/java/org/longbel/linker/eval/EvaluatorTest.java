package org.longbel.linker.eval;

import org.junit.jupiter.api.Test;
import org.longbel.linker.eval.PredictionTable.Row;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Figures computed by hand. */
class EvaluatorTest {
    private static final String DISO = "Disorders";
    private static final String CHEM = "Chemicals & Drugs";

    private static final List<Row> ROWS = List.of(
            new Row("A", "A.1", DISO, "C1", "C1", 1),
            new Row("A", "A.1", DISO, "C1", "C2", 2),
            new Row("A", "A.1", DISO, "C1", "C9", 1),          // duplicate (doc, mention, rank): dropped
            new Row("A", "A.2", CHEM, "C2+C3", "C3 + C2", 1),  // composite codes compared as sets
            new Row("B", "B.1", DISO, "C4", "C5", 1),
            new Row("B", "B.1", DISO, "C4", "C4", 2),
            new Row("B", "B.2", DISO, "NO_CODE", "C4", 1),     // gold NO_CODE: skipped
            new Row("B", "B.3", DISO, null, "C4", 1),          // no gold: skipped
            new Row("C", "C.1", CHEM, "C6", "C7", 1),
            new Row("C", "C.1", CHEM, "C6", "C6", 3));         // rank 3 > K = 2: dropped

    @Test
    void recallOverallAndPerGroup() {
        PredictionTable table = PredictionTable.of(ROWS, 2);
        assertEquals(2, table.skippedNoGold());
        EvalReport r = Evaluator.evaluate(table, 2, 0, 42, Resampling.DOCUMENTS);
        assertEquals(4, r.overall().mentions());
        assertEquals(0.5, r.overall().at1().value());
        assertEquals(0.75, r.overall().atK().value());
        GroupRecall chem = r.groups().get(0);
        GroupRecall diso = r.groups().get(1);
        assertEquals(CHEM, chem.group());
        assertEquals(0.5, chem.at1().value());
        assertEquals(0.5, chem.atK().value());
        assertEquals(DISO, diso.group());
        assertEquals(0.5, diso.at1().value());
        assertEquals(1.0, diso.atK().value());
        assertEquals(3, r.documents());
        assertTrue(Double.isNaN(r.overall().at1().low()));
        // with K = 5 the rank-3 hit counts
        assertEquals(1.0, Evaluator.evaluate(PredictionTable.of(ROWS, 5), 5, 0, 42, Resampling.DOCUMENTS)
                .overall().atK().value());
    }

    @Test
    void bootstrapOverOneDocumentHasAZeroWidthInterval() {
        PredictionTable table = PredictionTable.of(ROWS.subList(0, 4), 2);
        EvalReport r = Evaluator.evaluate(table, 2, 200, 42, Resampling.DOCUMENTS);
        assertEquals(1.0, r.overall().at1().value());
        assertEquals(1.0, r.overall().at1().low());
        assertEquals(1.0, r.overall().at1().high());
    }

    @Test
    void bootstrapIsReproducibleAndBracketsTheEstimate() {
        PredictionTable table = PredictionTable.of(ROWS, 2);
        for (Resampling unit : Resampling.values()) {
            EvalReport a = Evaluator.evaluate(table, 2, 1000, 42, unit);
            EvalReport b = Evaluator.evaluate(table, 2, 1000, 42, unit);
            assertEquals(a, b);
            Recall at1 = a.overall().at1();
            assertTrue(at1.low() <= at1.value() && at1.value() <= at1.high(), at1.toString());
            assertTrue(at1.low() >= 0 && at1.high() <= 1);
        }
        // documents: A has 2 hits / 2, B 0 / 1, C 0 / 1; the smallest replicate ratio is 0 (B and C only)
        // and the largest 1 (A only), so the 95% interval is strictly inside [0, 1] but wide
        Recall docs = Evaluator.evaluate(table, 2, 1000, 42, Resampling.DOCUMENTS).overall().at1();
        assertTrue(docs.high() - docs.low() > 0.3, docs.toString());
    }

    @Test
    void percentileInterpolatesLikeNumpy() {
        assertEquals(1.75, Evaluator.percentile(new double[]{1, 2, 3, 4}, 25));
        assertEquals(3.925, Evaluator.percentile(new double[]{1, 2, 3, 4}, 97.5), 1e-12);
    }

    @Test
    void tableShowsPercentages() {
        EvalReport r = Evaluator.evaluate(PredictionTable.of(ROWS, 2), 2, 0, 42, Resampling.DOCUMENTS);
        String t = r.table();
        assertTrue(t.contains("overall"), t);
        assertTrue(t.contains("50.0"), t);
        assertTrue(t.contains("75.0"), t);
    }
    @Test
    void bootstrapResamplesDocumentsNotMentions() {
        // document A: 10 mentions, all hits; document B: 1 mention, a miss. Recall@1 = 10/11.
        // Over documents a replicate is AA (1), AB (10/11) or BB (0), each of AA and BB with
        // probability 1/4, so the 2.5th and 97.5th percentiles of 1,000 replicates are exactly 0 and 1.
        // Over mentions the ratio is a binomial share of 11 draws: never 0 in practice.
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 1; i <= 10; i++) rows.add(new Row("A", "A." + i, DISO, "C1", "C1", 1));
        rows.add(new Row("B", "B.1", DISO, "C2", "C1", 1));
        PredictionTable table = PredictionTable.of(rows, 5);
        Recall docs = Evaluator.evaluate(table, 5, 1000, 42, Resampling.DOCUMENTS).overall().at1();
        assertEquals(10.0 / 11, docs.value(), 1e-12);
        assertEquals(0.0, docs.low());
        assertEquals(1.0, docs.high());
        Recall mentions = Evaluator.evaluate(table, 5, 1000, 42, Resampling.MENTIONS).overall().at1();
        assertTrue(mentions.low() > 0.5, mentions.toString());
    }

    @Test
    void compositeCodesKeepEmptyPiecesLikePython() {
        assertEquals("C1+C2", CodeNormalizer.normalize(" C2 +C1"));
        assertEquals("+C1", CodeNormalizer.normalize("C1+")); // Python: "C1+".split("+") == ["C1", ""]
        PredictionTable table = PredictionTable.of(List.of(
                new Row("A", "A.1", DISO, "C1", "C1+", 1),
                new Row("A", "A.2", DISO, "C2+C1", "C1+C2", 1),
                new Row("A", "A.3", DISO, "C3+NO_CODE", "C3", 1)), 5); // gold holding NO_CODE: dropped
        EvalReport r = Evaluator.evaluate(table, 5, 0, 42, Resampling.DOCUMENTS);
        assertEquals(1, table.skippedNoGold());
        assertEquals(2, r.overall().mentions());
        assertEquals(1, r.overall().at1().hits());
    }
}
