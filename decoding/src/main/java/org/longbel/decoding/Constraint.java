package org.longbel.decoding;

/**
 * The tokens a running sequence may take next (Hugging Face's {@code prefix_allowed_tokens_fn}).
 * Disallowed tokens get {@code -inf} added to their log-probability, without renormalisation.
 */
public interface Constraint {

    /** Returned by {@link #allowed} when every token of the vocabulary is allowed. */
    int ALL = -1;

    /**
     * Writes the allowed next tokens of the sequence {@code prompt ++ generated[0, generatedLength)}
     * into {@code out} (any order; duplicates count once) and returns how many, or returns {@link #ALL}.
     * {@code out} must hold at least {@code vocabSize} ids. Returning 0 means the constraint cannot be
     * satisfied; searches then throw {@link DecodingException}, as Hugging Face raises there.
     */
    int allowed(int[] prompt, int[] generated, int generatedLength, int[] out);
}
