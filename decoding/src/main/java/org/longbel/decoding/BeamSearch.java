package org.longbel.decoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.longbel.core.LogitRow;

/**
 * Hugging Face's {@code _beam_search} (transformers 4.57, see {@code hf-beam-search.md}) for one
 * mention, deterministic ({@link DecodingMode#BEAM_SEARCH}) or sampled ({@link DecodingMode#BEAM_SAMPLE}).
 * A pure state machine: see {@link DecodingSearch} for the driving protocol.
 *
 * <p>Per step, in float32 and in the reference's order: processed rows (full-vocabulary log-softmax,
 * constraint mask, sampling warpers), {@code acc = processed + running score}, KEEP = max(2, 1+n_eos)*K
 * candidates (top-KEEP, or drawn without replacement when sampling), running beams = top-K of
 * {@code acc + hit*(-1e9)}, finished pool = top-K
 * of the pool followed by {@code acc/L^lp} plus -1e9 for each of: item closed, not (hit and rank < K)
 * (and, with early_stopping=True, pool already full). The -1e9 arithmetic of dead beams is kept as is,
 * and every {@code torch.topk} follows PyTorch's CPU algorithm ({@link TorchTopK}), so dead ranks,
 * placeholders and the order of equal scores come out as in the reference. Not thread-safe: one search
 * per mention (searches are independent, so many can run on different threads).
 */
public final class BeamSearch implements DecodingSearch {

    private static final float DEAD = -1.0e9f;

    private final DecodingSettings settings;
    private final int numBeams;
    private final int keep;
    private final int vocabSize;
    private final int[] prompt;
    private final Constraint constraint;
    private final RowProcessor processor;
    private final SplittableRandom random;

    private final BeamHistory[] running;
    private final float[] runningScores;
    private final BeamHistory[] pool;
    private final float[] poolScores;
    private final boolean[] poolDone;
    private final List<StepRecord> records = new ArrayList<>(); // one per step, for compat scores
    private boolean open = true;
    private boolean done;
    private int step;
    /** {@link #wantedIds()} of step {@code wantedStep} (-1: none yet), reused by that step's processing. */
    private int[][] wanted;
    private int wantedStep = -1;

    /**
     * @param prompt     the prompt ids (BOS included); only the constraint reads them
     * @param vocabSize  V, the length of every logits row ({@code config.vocab_size})
     * @param constraint allowed next tokens per running sequence
     * @param settings   K, N, eos/pad ids, limits and mode (BEAM_SEARCH or BEAM_SAMPLE)
     */
    public BeamSearch(int[] prompt, int vocabSize, Constraint constraint, DecodingSettings settings) {
        if (settings.mode() != DecodingMode.BEAM_SEARCH && settings.mode() != DecodingMode.BEAM_SAMPLE) {
            throw new IllegalArgumentException("BeamSearch runs BEAM_SEARCH or BEAM_SAMPLE, not " + settings.mode());
        }
        if ((long) settings.numBeams() * vocabSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("num_beams * vocab_size exceeds 2^31-1");
        }
        this.settings = settings;
        this.numBeams = settings.numBeams();
        this.keep = settings.keep();
        this.vocabSize = vocabSize;
        this.prompt = prompt.clone();
        this.constraint = constraint;
        this.processor = new RowProcessor(vocabSize, settings);
        this.random = settings.mode() == DecodingMode.BEAM_SAMPLE ? new SplittableRandom(settings.sampling().seed()) : null;
        running = new BeamHistory[numBeams];
        runningScores = new float[numBeams];
        pool = new BeamHistory[numBeams];
        poolScores = new float[numBeams];
        poolDone = new boolean[numBeams];
        Arrays.fill(running, BeamHistory.EMPTY);
        Arrays.fill(runningScores, 1, numBeams, DEAD); // only slot 0 is live at the start
        Arrays.fill(pool, BeamHistory.EMPTY);
        Arrays.fill(poolScores, DEAD);
    }

    @Override
    public int numSlots() {
        return numBeams;
    }

    @Override
    public int[] slotsNeedingLogits() {
        if (done) return new int[0];
        if (step == 0) return new int[] {0};
        int[] all = new int[numBeams];
        for (int k = 0; k < numBeams; k++) all[k] = k;
        return all;
    }

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public int[][] wantedIds() {
        if (done) return new int[0][];
        if (wantedStep != step) {
            if (step == 0) {
                wanted = new int[][] {processor.wanted(prompt, running[0].tokens, 0, constraint)};
            } else {
                wanted = new int[numBeams][];
                for (int k = 0; k < numBeams; k++) {
                    BeamHistory h = running[k];
                    wanted[k] = processor.wanted(prompt, h.tokens, h.length(), constraint);
                }
            }
            wantedStep = step;
        }
        int[][] copy = new int[wanted.length][];
        for (int k = 0; k < copy.length; k++) copy[k] = wanted[k] == null ? null : wanted[k].clone();
        return copy;
    }

    @Override
    public Selection step(LogitRow[] logits) {
        if (done) throw new IllegalStateException("the search is done");
        int expected = step == 0 ? 1 : numBeams;
        if (logits.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " logits rows, got " + logits.length);
        }
        ProcessedRow[] rows = processRows(logits);
        int[] flatIndex = random == null ? selectTopCandidates(rows) : sampleCandidates(rows);

        int maxNew = settings.maxNewTokens();
        int[] parent = new int[keep];
        int[] token = new int[keep];
        float[] acc = new float[keep];
        boolean[] hit = new boolean[keep];
        BeamHistory[] extended = new BeamHistory[keep];
        for (int j = 0; j < keep; j++) {
            parent[j] = flatIndex[j] / vocabSize;
            token[j] = flatIndex[j] % vocabSize;
            ProcessedRow row = rows[parent[j]];
            acc[j] = row.value(token[j]) + runningScores[parent[j]];
            hit[j] = step + 1 >= maxNew || settings.isEos(token[j]);
            extended[j] = running[parent[j]].extend(token[j], row.value(token[j]), row.renormalised(token[j]), parent[j]);
        }
        records.add(record(rows, token));

        // _get_running_beams_for_next_iteration
        float[] r = new float[keep];
        for (int j = 0; j < keep; j++) r[j] = hit[j] ? acc[j] + DEAD : acc[j];
        int[] next = TorchTopK.topk(r, numBeams);
        int[] newParents = new int[numBeams];
        int[] newTokens = new int[numBeams];
        for (int i = 0; i < numBeams; i++) {
            int j = next[i];
            running[i] = extended[j];
            runningScores[i] = r[j];
            newParents[i] = parent[j];
            newTokens[i] = token[j];
        }

        updateFinished(acc, hit, extended);
        step++;
        checkEarlyStopHeuristic();
        boolean allHit = true;
        for (boolean h : hit) allHit &= h;
        boolean allDone = true;
        for (boolean d : poolDone) allDone &= d;
        done = !open || (settings.earlyStopping() == EarlyStopping.TRUE && allDone) || allHit;
        return new Selection(newParents, newTokens);
    }

    private ProcessedRow[] processRows(LogitRow[] logits) {
        int[][] known = wantedStep == step ? wanted : null; // the allowed sets wantedIds() already computed
        ProcessedRow[] rows = new ProcessedRow[numBeams];
        if (step == 0) {
            // every slot is a copy of the prompt: one row serves all
            Arrays.fill(rows, processor.process(logits[0], known == null ? null : known[0], prompt, running[0].tokens, 0, constraint));
        } else {
            for (int k = 0; k < numBeams; k++) {
                BeamHistory h = running[k];
                rows[k] = processor.process(logits[k], known == null ? null : known[k], prompt, h.tokens, h.length(), constraint);
            }
        }
        return rows;
    }

    /**
     * {@code torch.topk(acc, KEEP)} over all K*V entries ({@link TorchTopK}, tie order included).
     * Masked entries are {@code -inf}; on the heap path they can only come from the first KEEP flat
     * entries (the initial heap), so only finite entries are streamed. Returns flat indices
     * {@code slot*V + token} in output order.
     */
    private int[] selectTopCandidates(ProcessedRow[] rows) {
        int n = numBeams * vocabSize;
        if (!TorchTopK.usesHeap(keep, n)) {
            float[] acc = new float[n];
            for (int flat = 0; flat < n; flat++) acc[flat] = accumulated(rows, flat);
            return TorchTopK.topk(acc, keep);
        }
        TorchTopK.Stream heap = new TorchTopK.Stream(keep);
        for (int flat = 0; flat < keep; flat++) heap.initial(accumulated(rows, flat), flat);
        heap.heapify();
        for (int k = 0; k < numBeams; k++) {
            ProcessedRow row = rows[k];
            int base = k * vocabSize;
            int from = Math.max(0, keep - base); // tokens below this were in the initial heap
            if (row.isDense()) {
                CandidateScan.offerRow(heap, row.raw(), row.shift(), runningScores[k], base, from);
            } else {
                for (int i = 0; i < row.size(); i++) {
                    int t = row.token(i);
                    if (t >= from) heap.offer(row.valueAt(i) + runningScores[k], base + t);
                }
            }
        }
        return heap.finish();
    }

    private float accumulated(ProcessedRow[] rows, int flat) {
        int k = flat / vocabSize;
        return rows[k].value(flat % vocabSize) + runningScores[k];
    }

    /**
     * Beam sampling's {@code multinomial(softmax(acc), KEEP)} without replacement, as an exponential
     * race (key = p / E, E ~ Exp(1), drawn in ascending flat order of the positive entries); entries of
     * probability 0 fill the remaining places in ascending flat order. Returns the flat indices in
     * draw order (not re-sorted by score, like the reference).
     */
    private int[] sampleCandidates(ProcessedRow[] rows) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < numBeams; k++) {
            for (int i = 0; i < rows[k].size(); i++) max = Math.max(max, rows[k].valueAt(i) + runningScores[k]);
        }
        if (max == Float.NEGATIVE_INFINITY) {
            throw new DecodingException("beam sampling: every continuation has probability 0 (all scores -inf)");
        }
        float sum = 0f;
        for (int k = 0; k < numBeams; k++) {
            for (int i = 0; i < rows[k].size(); i++) sum += (float) Math.exp((rows[k].valueAt(i) + runningScores[k]) - max);
        }
        // rows are sparse in sampling modes (RowProcessor.warp), so the loops cover every finite entry,
        // in ascending flat order (slots ascending, tokens ascending within a row)
        TopEntries drawn = new TopEntries(keep);
        List<Integer> positive = new ArrayList<>();
        for (int k = 0; k < numBeams; k++) {
            for (int i = 0; i < rows[k].size(); i++) {
                float p = (float) Math.exp((rows[k].valueAt(i) + runningScores[k]) - max) / sum;
                if (p > 0f) {
                    int flat = k * vocabSize + rows[k].token(i);
                    float e = (float) -Math.log(1.0 - random.nextDouble());
                    drawn.offer(p / e, flat);
                    positive.add(flat);
                }
            }
        }
        int[] order = new int[keep];
        int n = 0;
        for (int j = 0; j < drawn.size(); j++) order[n++] = drawn.index(j);
        int pi = 0;
        for (int flat = 0; n < keep && flat < numBeams * vocabSize; flat++) {
            while (pi < positive.size() && positive.get(pi) < flat) pi++;
            if (pi < positive.size() && positive.get(pi) == flat) continue;
            order[n++] = flat;
        }
        return order;
    }

    /** The per-slot renormalised values at this step's distinct candidate tokens. */
    private StepRecord record(ProcessedRow[] rows, int[] token) {
        int[] distinct = Arrays.stream(token).distinct().toArray();
        float[][] table = new float[numBeams][distinct.length];
        for (int k = 0; k < numBeams; k++) {
            if (k > 0 && rows[k] == rows[k - 1]) {
                table[k] = table[k - 1];
                continue;
            }
            for (int j = 0; j < distinct.length; j++) table[k][j] = rows[k].renormalised(distinct[j]);
        }
        return new StepRecord(distinct, table);
    }

    /** {@code _update_finished_beams}. */
    private void updateFinished(float[] acc, boolean[] hit, BeamHistory[] extended) {
        float length = (float) Math.pow(step + 1, settings.lengthPenalty());
        boolean poolFull = settings.earlyStopping() == EarlyStopping.TRUE && allPoolDone();
        float[] merged = new float[numBeams + keep];
        System.arraycopy(poolScores, 0, merged, 0, numBeams);
        boolean[] eligible = new boolean[keep];
        for (int j = 0; j < keep; j++) {
            eligible[j] = hit[j] && j < numBeams;
            float v = acc[j] / length;
            if (poolFull) v += DEAD;
            if (!open) v += DEAD;
            if (!eligible[j]) v += DEAD;
            merged[numBeams + j] = v;
        }
        int[] top = TorchTopK.topk(merged, numBeams);
        BeamHistory[] newPool = new BeamHistory[numBeams];
        float[] newScores = new float[numBeams];
        boolean[] newDone = new boolean[numBeams];
        for (int i = 0; i < numBeams; i++) {
            int m = top[i];
            if (m < numBeams) {
                newPool[i] = pool[m];
                newDone[i] = poolDone[m];
            } else {
                newPool[i] = extended[m - numBeams];
                newDone[i] = eligible[m - numBeams];
            }
            newScores[i] = merged[m];
        }
        System.arraycopy(newPool, 0, pool, 0, numBeams);
        System.arraycopy(newScores, 0, poolScores, 0, numBeams);
        System.arraycopy(newDone, 0, poolDone, 0, numBeams);
    }

    private boolean allPoolDone() {
        for (boolean d : poolDone) if (!d) return false;
        return true;
    }

    /** {@code _check_early_stop_heuristic}, after {@code cur_len} was incremented. */
    private void checkEarlyStopHeuristic() {
        double lp = settings.lengthPenalty();
        int hypotheticalLength = settings.earlyStopping() == EarlyStopping.NEVER && lp > 0
                ? settings.maxNewTokens() : step;
        float best = runningScores[0] / (float) Math.pow(hypotheticalLength, lp);
        float min = Float.POSITIVE_INFINITY;
        for (float s : poolScores) min = Math.min(min, s);
        boolean improvable = false;
        for (int k = 0; k < numBeams; k++) {
            float worst = poolDone[k] ? min : DEAD;
            improvable |= best > worst;
        }
        open = open && improvable;
    }

    @Override
    public DecodingResult result() {
        if (!done) throw new IllegalStateException("the search is not done");
        List<Hypothesis> out = new ArrayList<>();
        for (int i = 0; i < settings.numReturn(); i++) out.add(hypothesis(i));
        double temperature = random != null ? settings.sampling().temperature() : 1.0;
        return new DecodingResult(settings.mode(), out, step, temperature);
    }

    private Hypothesis hypothesis(int rank) {
        BeamHistory h = pool[rank];
        int n = h.length();
        double[] compat = new double[n];
        boolean[] special = new boolean[n];
        for (int t = 0; t < n; t++) {
            special[t] = settings.isSpecial(h.tokens[t]);
            // QUIRK (slot-indexed score, --reference-compat): the wrapper reads row `rank` of step t's
            // scores, i.e. slot `rank`, not the slot this sequence's token came from
            compat[t] = special[t] ? Double.NaN : records.get(t).renormalised(rank, h.tokens[t]);
        }
        return new Hypothesis(h.tokens.clone(), poolScores[rank], h.logprobs.clone(), h.renormalised.clone(),
                compat, h.slots.clone(), special);
    }
}
