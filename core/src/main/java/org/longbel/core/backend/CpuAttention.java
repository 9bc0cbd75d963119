package org.longbel.core.backend;

import static org.longbel.core.backend.VectorKernels.F;
import static org.longbel.core.backend.VectorKernels.LANES;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.longbel.core.LogSoftmax;
import org.longbel.core.kv.HostKvStorage;
import org.longbel.core.kv.KvBatch;
import org.longbel.core.kv.KvLayout;

/**
 * Causal GQA attention of query rows over the blocks of a {@link HostKvStorage}, tiled like flash attention.
 *
 * <p><b>Work units.</b> The rows of a call are cut into runs of up to {@link #ROWS_PER_TASK} consecutive rows of
 * one sequence (a prefill chunk gives long runs, a decode batch runs of one row). A task is (run, kv head): it
 * computes the {@code heads / kvHeads} query heads of that kv head for every row of the run, so each key and
 * value it loads serves all those queries. The tasks of a call, prefill chunks and decode rows of many sequences
 * alike, go to one {@link WorkerPool#parallelFor}.
 *
 * <p><b>Tiles.</b> A task walks the sequence's cache one block at a time: tile b holds the absolute positions
 * {@code [b * blockSize, (b + 1) * blockSize)}. The task's queries are copied once, transposed
 * ({@code [dim][query]}), so that the scores of all of them against one key are a few vectors:
 * {@code s[key][query] = fma(q[dim][query], k[key][dim], s)} for dim ascending from 0, then times
 * {@code headDim^-0.5}; four keys are scored per pass over the dims. A row at position p sees keys
 * {@code 0..p}: in its last tile only the first {@code p + 1 - base} scores are used (other lanes are ignored).
 *
 * <p><b>Online softmax.</b> Per query, a running max m, a running sum l and an accumulator {@code acc[headDim]}.
 * For each tile: {@code m' = max(m, s[0..n))}; {@code alpha = exp(m - m')} (1 when m' = m);
 * {@code p[j] = exp(s[j] - m')}; {@code l = l * alpha + (p[0] + p[1] + ...)} in key order;
 * {@code acc = acc * alpha}, then {@code acc = fma(p[j], v[j], acc)} for the keys in order (dims in lanes, the
 * four query heads of a row sharing each loaded value vector). After the last tile {@code out = acc / l}. There
 * is no array of all the scores and no T x T matrix: the scratch is one tile.
 *
 * <p><b>Determinism.</b> For one (row, head), the floating-point operations and their order depend only on the
 * row's position and the cache contents: tile boundaries are absolute, keys are taken in order, a score is the
 * same fma chain over dims whichever lane and pass computes it, the value sums are lane-wise per dim (the scalar
 * tail does the same multiply and {@code fma}), and exponentials are {@link LogSoftmax#expNonPositive}, made of
 * exactly rounded lane operations (no Vector API {@code EXP} and no {@code reduceLanes}, whose results may
 * differ between interpreter and compiled code). So a
 * row's output is bitwise the same whatever the other rows of the call, the runs and tasks, the thread count,
 * or whether its prefix was written by an earlier forward.
 */
final class CpuAttention {

    /** Query rows of one sequence per task: enough to reuse each loaded tile, few enough to balance threads. */
    static final int ROWS_PER_TASK = 16;

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat KV_FLOAT = ValueLayout.JAVA_FLOAT;

    private CpuAttention() {
    }

    static void run(WorkerPool pool, float[] q, HostKvStorage storage, KvBatch batch,
                    int layer, int heads, int kvHeads, int headDim, float[] out) {
        if (heads % kvHeads != 0) throw new IllegalArgumentException(heads + " heads is not a multiple of " + kvHeads + " kv heads");
        int rows = batch.rows();
        int[] tables = batch.rowTable();
        int[] runs = runs(rows, tables);
        int lastRun = runs.length - 2;
        int tasks = (lastRun + 1) * kvHeads;
        pool.parallelFor(tasks, pool.grainFor(tasks, 8), (t0, t1) -> {
            Task task = new Task(q, batch, storage, layer, heads, kvHeads, headDim, out);
            for (int t = t0; t < t1; t++) {
                int run = lastRun - t / kvHeads; // the last runs of a prefill chunk see the most keys: start them first
                task.attend(runs[run], runs[run + 1], t % kvHeads);
            }
        });
    }

    /**
     * Run boundaries: rows {@code [runs[i], runs[i+1])} are at most {@link #ROWS_PER_TASK} consecutive rows of one
     * sequence (rows of one sequence share a block table).
     */
    private static int[] runs(int rows, int[] tables) {
        int[] bounds = new int[rows + 1];
        int n = 0;
        for (int r = 0; r < rows; r++) {
            if (r == 0 || tables[r] != tables[r - 1] || r - bounds[n - 1] == ROWS_PER_TASK) bounds[n++] = r;
        }
        bounds[n++] = rows;
        return Arrays.copyOf(bounds, n);
    }

    /** The scratch of one thread's chunk of tasks. Query {@code (row - row0) * group + h} is lane number that. */
    private static final class Task {
        private final float[] q, out;
        private final int[] positions;
        private final KvBatch batch;
        private final HostKvStorage storage;
        private final KvLayout layout;
        private final int layer, heads, group, headDim, blockSize, kvRowBytes;
        private final float scale;
        /** Row length of {@link #queriesT} and {@link #scores}: the task's queries rounded up to whole vectors. */
        private int lanes;
        /** The task's queries, transposed: {@code [headDim][lanes]}. */
        private float[] queriesT;
        /** Scores, then probabilities, of the current tile: {@code [blockSize][lanes]}. */
        private float[] scores;
        /** Per query: the running value sum {@code [headDim]}, max, sum, and the tile's rescale factor. */
        private float[] acc, max, sum, alpha;
        /** Per query: how many keys of the current tile it sees (0 for padding lanes). */
        private int[] visible;

        Task(float[] q, KvBatch batch, HostKvStorage storage, int layer, int heads, int kvHeads, int headDim, float[] out) {
            this.q = q;
            this.out = out;
            this.positions = batch.positions();
            this.batch = batch;
            this.storage = storage;
            this.layout = storage.layout();
            this.layer = layer;
            this.heads = heads;
            this.group = heads / kvHeads;
            this.headDim = headDim;
            this.blockSize = layout.blockSize();
            this.kvRowBytes = layout.kvDim() * Float.BYTES;
            this.scale = (float) (1.0 / Math.sqrt(headDim));
        }

        /** Attention of rows {@code [row0, row1)} (one sequence) for the query heads of {@code kvHead}. */
        void attend(int row0, int row1, int kvHead) {
            int queries = (row1 - row0) * group;
            ensure(queries);
            for (int r = row0; r < row1; r++) {
                for (int h = 0; h < group; h++) {
                    int lane = (r - row0) * group + h, qOff = queryOffset(r, kvHead, h);
                    for (int i = 0; i < headDim; i++) queriesT[i * lanes + lane] = q[qOff + i];
                }
            }
            Arrays.fill(max, 0, lanes, Float.NEGATIVE_INFINITY);
            Arrays.fill(sum, 0, lanes, 0f);
            Arrays.fill(visible, 0, lanes, 0);
            Arrays.fill(acc, 0, queries * headDim, 0f);
            int last = 0;
            for (int r = row0; r < row1; r++) last = Math.max(last, positions[r]);
            long headBytes = (long) kvHead * headDim * Float.BYTES;
            long keys = layout.keyFloat(layer, 0) * Float.BYTES + headBytes;
            long values = layout.valueFloat(layer, 0) * Float.BYTES + headBytes;
            for (int base = 0; base <= last; base += blockSize) {
                MemorySegment block = storage.block(batch.block(row0, base));
                int tileKeys = Math.min(blockSize, last + 1 - base);
                scores(block, keys, tileKeys);
                for (int r = row0; r < row1; r++) { // keys of this tile each row sees, for each of its queries
                    int lane = (r - row0) * group;
                    Arrays.fill(visible, lane, lane + group, Math.max(0, Math.min(blockSize, positions[r] + 1 - base)));
                }
                softmaxStep(tileKeys);
                for (int lane = 0; lane < queries; lane += group) {
                    int seen = visible[lane], h = 0;
                    if (seen == 0) continue;
                    for (; h + 4 <= group; h += 4) values4(lane + h, block, values, seen);
                    for (; h < group; h++) values1(lane + h, block, values, seen);
                }
            }
            for (int r = row0; r < row1; r++) {
                for (int h = 0; h < group; h++) normalise((r - row0) * group + h, queryOffset(r, kvHead, h));
            }
        }

        private void ensure(int queries) {
            lanes = (queries + LANES - 1) / LANES * LANES;
            if (max != null && max.length >= lanes) return;
            queriesT = new float[headDim * lanes];
            scores = new float[blockSize * lanes];
            acc = new float[lanes * headDim];
            max = new float[lanes];
            sum = new float[lanes];
            alpha = new float[lanes];
            visible = new int[lanes];
        }

        private int queryOffset(int row, int kvHead, int h) {
            return (row * heads + kvHead * group + h) * headDim;
        }

        /**
         * {@code scores[j][lane] = (q · k[j] as an fma chain over dims from 0) * scale} for the first {@code keys}
         * keys of the tile and every lane: queries in lanes, four keys (four independent chains) per pass.
         */
        private void scores(MemorySegment block, long keyOffset, int keys) {
            int d = headDim, n = lanes, row = kvRowBytes;
            for (int c = 0; c < n; c += LANES) {
                int j = 0;
                for (; j + 4 <= keys; j += 4) {
                    long k0 = keyOffset + (long) j * row, k1 = k0 + row, k2 = k1 + row, k3 = k2 + row;
                    FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                    for (int i = 0, qi = c; i < d; i++, qi += n) {
                        FloatVector qv = FloatVector.fromArray(F, queriesT, qi);
                        a0 = qv.fma(FloatVector.broadcast(F, block.get(KV_FLOAT, k0 + 4L * i)), a0);
                        a1 = qv.fma(FloatVector.broadcast(F, block.get(KV_FLOAT, k1 + 4L * i)), a1);
                        a2 = qv.fma(FloatVector.broadcast(F, block.get(KV_FLOAT, k2 + 4L * i)), a2);
                        a3 = qv.fma(FloatVector.broadcast(F, block.get(KV_FLOAT, k3 + 4L * i)), a3);
                    }
                    a0.mul(scale).intoArray(scores, j * n + c);
                    a1.mul(scale).intoArray(scores, (j + 1) * n + c);
                    a2.mul(scale).intoArray(scores, (j + 2) * n + c);
                    a3.mul(scale).intoArray(scores, (j + 3) * n + c);
                }
                for (; j < keys; j++) {
                    long k = keyOffset + (long) j * row;
                    FloatVector a = FloatVector.zero(F);
                    for (int i = 0, qi = c; i < d; i++, qi += n) {
                        a = FloatVector.fromArray(F, queriesT, qi).fma(FloatVector.broadcast(F, block.get(KV_FLOAT, k + 4L * i)), a);
                    }
                    a.mul(scale).intoArray(scores, j * n + c);
                }
            }
        }

        /**
         * One tile of online softmax for every query, {@code LANES} queries at a time: new max, rescale factor,
         * probabilities in place of the scores, sum. Per query this is exactly the scalar recipe (max over its
         * visible keys; {@code alpha = m == previous ? 1 : exp(previous - m)}; {@code p = exp(s - m)} summed in
         * key order; {@code sum = sum * alpha + tileSum}): lanes never mix, keys it does not see add nothing,
         * and the exponential is {@link LogSoftmax#expNonPositive}, built from exactly rounded lane operations
         * (its scalar twin gives the same bits).
         */
        private void softmaxStep(int keys) {
            int n = lanes;
            FloatVector negInf = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY), zero = FloatVector.zero(F);
            for (int c = 0; c < n; c += LANES) {
                IntVector seen = IntVector.fromArray(VectorKernels.I, visible, c);
                FloatVector previous = FloatVector.fromArray(F, max, c), m = previous;
                for (int j = 0, s = c; j < keys; j++, s += n) {
                    VectorMask<Float> hidden = seen.compare(VectorOperators.LE, j).cast(F);
                    m = m.max(FloatVector.fromArray(F, scores, s).blend(negInf, hidden));
                }
                FloatVector a = LogSoftmax.expNonPositive(previous.sub(m)).blend(1f, m.compare(VectorOperators.EQ, previous));
                FloatVector tileSum = zero;
                for (int j = 0, s = c; j < keys; j++, s += n) {
                    VectorMask<Float> hidden = seen.compare(VectorOperators.LE, j).cast(F);
                    FloatVector p = LogSoftmax.expNonPositive(FloatVector.fromArray(F, scores, s).sub(m)).blend(zero, hidden);
                    p.intoArray(scores, s);
                    tileSum = tileSum.add(p);
                }
                FloatVector.fromArray(F, sum, c).mul(a).add(tileSum).intoArray(sum, c);
                m.intoArray(max, c);
                a.intoArray(alpha, c);
            }
        }

        /**
         * {@code acc = acc * alpha}, then {@code acc = fma(p[j], v[j], acc)} for the first {@code visible} keys in
         * order, for four queries of one row: each loaded value vector serves all four.
         */
        private void values4(int lane, MemorySegment block, long values, int visible) {
            int d = headDim, n = lanes, bound = F.loopBound(d);
            int c0 = lane * d, c1 = c0 + d, c2 = c1 + d, c3 = c2 + d;
            float s0 = alpha[lane], s1 = alpha[lane + 1], s2 = alpha[lane + 2], s3 = alpha[lane + 3];
            for (int i = 0; i < bound; i += LANES) {
                FloatVector a0 = FloatVector.fromArray(F, acc, c0 + i).mul(s0);
                FloatVector a1 = FloatVector.fromArray(F, acc, c1 + i).mul(s1);
                FloatVector a2 = FloatVector.fromArray(F, acc, c2 + i).mul(s2);
                FloatVector a3 = FloatVector.fromArray(F, acc, c3 + i).mul(s3);
                long v = values + 4L * i;
                for (int j = 0, p = lane; j < visible; j++, v += kvRowBytes, p += n) {
                    FloatVector value = FloatVector.fromMemorySegment(F, block, v, NATIVE);
                    a0 = FloatVector.broadcast(F, scores[p]).fma(value, a0);
                    a1 = FloatVector.broadcast(F, scores[p + 1]).fma(value, a1);
                    a2 = FloatVector.broadcast(F, scores[p + 2]).fma(value, a2);
                    a3 = FloatVector.broadcast(F, scores[p + 3]).fma(value, a3);
                }
                a0.intoArray(acc, c0 + i);
                a1.intoArray(acc, c1 + i);
                a2.intoArray(acc, c2 + i);
                a3.intoArray(acc, c3 + i);
            }
            for (int k = 0; k < 4; k++) valuesTail(lane + k, block, values, visible, bound);
        }

        /** {@link #values4} for one query. */
        private void values1(int lane, MemorySegment block, long values, int visible) {
            int bound = F.loopBound(headDim), c = lane * headDim;
            for (int i = 0; i < bound; i += LANES) {
                FloatVector a = FloatVector.fromArray(F, acc, c + i).mul(alpha[lane]);
                long v = values + 4L * i;
                for (int j = 0, p = lane; j < visible; j++, v += kvRowBytes, p += lanes) {
                    a = FloatVector.broadcast(F, scores[p]).fma(FloatVector.fromMemorySegment(F, block, v, NATIVE), a);
                }
                a.intoArray(acc, c + i);
            }
            valuesTail(lane, block, values, visible, bound);
        }

        /** The dims from {@code from} on, one at a time, with the same multiply and fmas as the vector lanes. */
        private void valuesTail(int lane, MemorySegment block, long values, int visible, int from) {
            int c = lane * headDim;
            for (int i = from; i < headDim; i++) {
                float a = acc[c + i] * alpha[lane];
                long v = values + 4L * i;
                for (int j = 0, p = lane; j < visible; j++, v += kvRowBytes, p += lanes) {
                    a = Math.fma(scores[p], block.get(KV_FLOAT, v), a);
                }
                acc[c + i] = a;
            }
        }

        /** {@code out = acc / l}. */
        private void normalise(int lane, int outOff) {
            int c = lane * headDim;
            float l = sum[lane];
            for (int i = 0; i < headDim; i++) out[outOff + i] = acc[c + i] / l;
        }
    }
}
