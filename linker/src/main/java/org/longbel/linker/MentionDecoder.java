package org.longbel.linker;

import org.longbel.decoding.Constraint;
import org.longbel.decoding.DecodingResult;

/**
 * Runs the search for one prompt: a model plus a decoding strategy. Implementations must allow
 * concurrent calls from several threads (pages run in parallel).
 */
public interface MentionDecoder {

    /**
     * The ranked hypotheses for {@code promptIds} (BOS included) under {@code constraint}.
     *
     * @param seed   seed of this mention's random draws (beam sampling only)
     * @param cancel checked between decoding steps
     */
    DecodingResult decode(int[] promptIds, Constraint constraint, long seed, CancellationToken cancel);

    /** The model's context length (max positions); prompts that do not fit get an error record. */
    int maxPositions();
}
