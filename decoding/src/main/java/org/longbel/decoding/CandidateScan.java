package org.longbel.decoding;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.longbel.core.LogSoftmax;

/**
 * The vectorised pass of candidate selection over a dense (unconstrained) row: computes
 * {@code acc[t] = ((row[t] - max) - logSum) + score} in float32, exactly as the scalar expression, and
 * offers to the {@code torch.topk} heap only the lanes that beat its front. Nothing is sorted and the
 * log-probability row is never materialised.
 */
final class CandidateScan {

    private CandidateScan() {}

    /**
     * Offers {@code acc[t]} at flat index {@code base + t} for {@code t >= from}, in ascending order.
     * Skipping lanes that do not beat the front is exact: the front never decreases.
     */
    static void offerRow(TorchTopK.Stream heap, float[] row, LogSoftmax.Normalizer n, float score, int base, int from) {
        float max = n.max();
        float logSum = n.logSum();
        // skip the whole row when even its best entry cannot enter
        if (!heap.accepts(((max - max) - logSum) + score)) return;
        int step = LogSoftmax.SPECIES.length();
        int len = row.length;
        int t = from;
        for (; t < len && t % step != 0; t++) heap.offer(((row[t] - max) - logSum) + score, base + t);
        int upper = LogSoftmax.SPECIES.loopBound(len);
        for (; t < upper; t += step) {
            FloatVector v = FloatVector.fromArray(LogSoftmax.SPECIES, row, t).sub(max).sub(logSum).add(score);
            VectorMask<Float> enter = v.compare(VectorOperators.GT, heap.front());
            if (enter.anyTrue()) {
                for (int l = 0; l < step; l++) {
                    if (enter.laneIsSet(l)) heap.offer(v.lane(l), base + t + l);
                }
            }
        }
        for (; t < len; t++) heap.offer(((row[t] - max) - logSum) + score, base + t);
    }
}
