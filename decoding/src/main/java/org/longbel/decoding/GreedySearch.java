package org.longbel.decoding;

import java.util.List;
import java.util.SplittableRandom;
import org.longbel.core.LogSoftmax;
import org.longbel.core.LogitRow;

/**
 * Hugging Face's {@code _sample} with one sequence ({@code num_beams = 1}): the processors run on raw
 * float32 logits (no log-softmax), then {@link DecodingMode#GREEDY} takes the first maximal index and
 * {@link DecodingMode#SAMPLE} draws from the softmax of the warped scores (top-k/top-p keep at least one
 * token). Stops after an eos id or at max_new_tokens. There is no beam score: the hypothesis'
 * {@code sequencesScore} is NaN, like the reference's {@code beam_score}. Not thread-safe: one per mention.
 */
public final class GreedySearch implements DecodingSearch {

    private final DecodingSettings settings;
    private final int[] prompt;
    private final Constraint constraint;
    private final RowProcessor processor;
    private final SplittableRandom random;
    private BeamHistory history = BeamHistory.EMPTY;
    private boolean done;
    /** {@link #wantedIds()} for the history {@code wantedAt} (null: none yet), reused by that step's processing. */
    private int[] wanted;
    private BeamHistory wantedAt;

    /**
     * @param prompt     the prompt ids (BOS included); only the constraint reads them
     * @param vocabSize  the length of every logits row
     * @param constraint allowed next tokens
     * @param settings   mode GREEDY or SAMPLE, eos ids, max_new_tokens, warpers
     */
    public GreedySearch(int[] prompt, int vocabSize, Constraint constraint, DecodingSettings settings) {
        if (settings.mode() != DecodingMode.GREEDY && settings.mode() != DecodingMode.SAMPLE) {
            throw new IllegalArgumentException("GreedySearch runs GREEDY or SAMPLE, not " + settings.mode());
        }
        this.settings = settings;
        this.prompt = prompt.clone();
        this.constraint = constraint;
        this.processor = new RowProcessor(vocabSize, settings);
        this.random = settings.mode() == DecodingMode.SAMPLE ? new SplittableRandom(settings.sampling().seed()) : null;
    }

    @Override
    public int numSlots() {
        return 1;
    }

    @Override
    public int[] slotsNeedingLogits() {
        return done ? new int[0] : new int[] {0};
    }

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public int[][] wantedIds() {
        if (done) return new int[0][];
        if (wantedAt != history) {
            wanted = processor.wanted(prompt, history.tokens, history.length(), constraint);
            wantedAt = history;
        }
        return new int[][] {wanted == null ? null : wanted.clone()};
    }

    @Override
    public Selection step(LogitRow[] logits) {
        if (done) throw new IllegalStateException("the search is done");
        if (logits.length != 1) throw new IllegalArgumentException("expected 1 logits row, got " + logits.length);
        int[] known = wantedAt == history ? wanted : null; // the allowed set wantedIds() already computed
        ProcessedRow row = processor.process(logits[0], known, prompt, history.tokens, history.length(), constraint);
        int token = random == null ? argmax(row, logits[0].dense()) : draw(row);
        history = history.extend(token, row.value(token), row.renormalised(token), 0);
        done = settings.isEos(token) || history.length() >= settings.maxNewTokens();
        return new Selection(new int[] {0}, new int[] {token});
    }

    /** First index of the maximum processed value (a dense row's order is the raw row's). */
    private static int argmax(ProcessedRow row, float[] raw) {
        if (row.isDense()) return LogSoftmax.argmax(raw);
        int best = -1;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < row.size(); i++) { // ascending token order: ties keep the lower id
            if (best < 0 || row.valueAt(i) > bestValue) {
                best = row.token(i);
                bestValue = row.valueAt(i);
            }
        }
        return best;
    }

    /** {@code multinomial(softmax(s), 1)} as an exponential race over the positive-probability tokens. */
    private int draw(ProcessedRow row) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < row.size(); i++) max = Math.max(max, row.valueAt(i));
        if (max == Float.NEGATIVE_INFINITY) throw new DecodingException("sampling: every token has probability 0");
        float sum = 0f;
        for (int i = 0; i < row.size(); i++) sum += (float) Math.exp(row.valueAt(i) - max);
        TopEntries drawn = new TopEntries(1);
        for (int i = 0; i < row.size(); i++) {
            float p = (float) Math.exp(row.valueAt(i) - max) / sum;
            if (p > 0f) drawn.offer(p / (float) -Math.log(1.0 - random.nextDouble()), row.token(i));
        }
        return drawn.index(0);
    }

    @Override
    public DecodingResult result() {
        if (!done) throw new IllegalStateException("the search is not done");
        int n = history.length();
        boolean[] special = new boolean[n];
        double[] compat = new double[n];
        for (int t = 0; t < n; t++) {
            special[t] = settings.isSpecial(history.tokens[t]);
            compat[t] = special[t] ? Double.NaN : history.renormalised[t]; // one row: its own history
        }
        Hypothesis h = new Hypothesis(history.tokens.clone(), Float.NaN, history.logprobs.clone(),
                history.renormalised.clone(), compat, history.slots.clone(), special);
        double temperature = random != null ? settings.sampling().temperature() : 1.0;
        return new DecodingResult(settings.mode(), List.of(h), n, temperature);
    }
}
