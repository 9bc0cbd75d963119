package org.longbel.decoding;

import java.util.List;

/**
 * The N best hypotheses of one mention, best first, and how they were produced.
 *
 * @param mode        the generation mode that ran (reported in the output metadata)
 * @param hypotheses  N hypotheses in rank order
 * @param steps       loop iterations run (one forward per step)
 * @param temperature the sampling temperature (1 when not sampling): in beam sampling
 *                    {@code sequences_score} is tempered; {@link #untemperedBeamScore} undoes it
 */
public record DecodingResult(DecodingMode mode, List<Hypothesis> hypotheses, int steps, double temperature) {

    public DecodingResult {
        hypotheses = List.copyOf(hypotheses);
    }

    /** {@code exp(T * sequences_score)}: the beam score on the untempered scale (equals beamScore when T = 1). */
    public double untemperedBeamScore(int rank) {
        return Math.exp((float) temperature * hypotheses.get(rank).sequencesScore());
    }
}
