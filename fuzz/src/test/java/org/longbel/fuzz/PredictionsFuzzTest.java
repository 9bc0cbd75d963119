package org.longbel.fuzz;

import org.longbel.linker.eval.Evaluator;
import org.longbel.linker.eval.PredictionTable;
import org.longbel.linker.eval.Resampling;

import java.nio.file.Path;

/**
 * Fuzz target of the predictions file {@code longbel eval} reads (JSON Lines records as {@code longbel link} writes
 * them), then evaluated as {@code eval} does (with few bootstrap replicates, to keep executions fast).
 */
class PredictionsFuzzTest {

    @ParserFuzz
    void file(byte[] data) throws Exception {
        Path file = FuzzSupport.write("predictions.jsonl", data);
        LinkerInputs.expect(file, () -> Evaluator.evaluate(PredictionTable.read(file, 5), 5, 4, 42, Resampling.DOCUMENTS));
    }
}
