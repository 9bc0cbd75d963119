package org.longbel.linker;

import org.longbel.linker.output.Prediction;
import org.longbel.linker.prompt.Mention;

import java.util.List;

/**
 * A mention and its ranked predictions.
 *
 * @param mention      the mention (ids, spans, group, gold, prompt parts)
 * @param prompt       the prompt as fed to the model (text and token ids)
 * @param predictions  N records, rank 1 first
 * @param generatedIds the top beam's generated ids (eos included; the decoding result's rank-1 hypothesis), or
 *                     null when the mention was not decoded (error records)
 * @param saliency     the top beam's saliency map when {@link SampleOptions#saliency()} was on and the mention was
 *                     decoded, else null
 */
public record MentionResult(Mention mention, PromptRecord prompt, List<Prediction> predictions, int[] generatedIds,
                            SaliencyMap saliency) {
    public MentionResult {
        predictions = List.copyOf(predictions);
    }

    /** A result without generated ids nor saliency map. */
    public MentionResult(Mention mention, PromptRecord prompt, List<Prediction> predictions) {
        this(mention, prompt, predictions, null, null);
    }

    /** The rank-1 prediction. */
    public Prediction top() {
        return predictions.getFirst();
    }

    /** A copy carrying {@code map}. */
    public MentionResult withSaliency(SaliencyMap map) {
        return new MentionResult(mention, prompt, predictions, generatedIds, map);
    }
}
