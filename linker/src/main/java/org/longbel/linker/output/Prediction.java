package org.longbel.linker.output;

/**
 * One ranked prediction for one mention: the fields the reference emits (reference spec §6), plus
 * {@code error} (null unless the mention could not be linked).
 *
 * @param mention       cleaned mention text
 * @param docId         page id
 * @param mentionId     {@code <page id>.<k>}
 * @param startSpan     global start of the mention
 * @param endSpan       global end of the mention
 * @param semanticGroup the mention's group
 * @param goldCode      gold concept code, or null
 * @param goldName      gold concept name, or null
 * @param predName      predicted name ({@code NO_PREDICTION} when none)
 * @param predCode      predicted code ({@code NO_CODE} when none)
 * @param score         exp(mean log-prob of the generated tokens other than eos, pad, bos)
 * @param beamScore     exp(length-normalised beam score); NaN with one beam
 * @param rank          1..N
 * @param error         why the mention has no real prediction (unknown group, prompt too long), or null
 * @param untemperedBeamScore in beam sampling, exp(T * sequences_score): the beam score on the
 *                      untempered scale ({@code beamScore} is tempered, like the reference's); NaN otherwise
 */
public record Prediction(String mention, String docId, String mentionId, int startSpan, int endSpan,
                         String semanticGroup, String goldCode, String goldName, String predName,
                         String predCode, double score, double beamScore, int rank, String error,
                         double untemperedBeamScore) {

    /** Placeholder name when nothing could be parsed or linked. */
    public static final String NO_PREDICTION = "NO_PREDICTION";
    /** Placeholder code when the name is not in the knowledge base. */
    public static final String NO_CODE = "NO_CODE";
}
