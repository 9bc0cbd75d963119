package org.longbel.linker;

import org.longbel.linker.output.Prediction;
import org.longbel.linker.prompt.Mention;

import java.util.List;

/**
 * A mention and its ranked predictions.
 *
 * @param mention     the mention (ids, spans, group, gold, prompt parts)
 * @param prompt      the prompt as fed to the model (text and token ids)
 * @param predictions N records, rank 1 first
 */
public record MentionResult(Mention mention, PromptRecord prompt, List<Prediction> predictions) {
    public MentionResult {
        predictions = List.copyOf(predictions);
    }

    /** The rank-1 prediction. */
    public Prediction top() {
        return predictions.getFirst();
    }
}
