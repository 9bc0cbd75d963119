package org.longbel.core;

import static org.longbel.core.backend.CpuBackend.wrap;

import java.util.ArrayList;
import java.util.List;
import org.longbel.core.backend.CpuBackend;
import org.longbel.core.backend.CpuGradients;
import org.longbel.core.backend.RopeAngles;

/**
 * Gradient saliency (reference spec §7) by a hand-written backward pass through the Llama forward: the L2 norm of
 * the gradient of a sum of target log-probabilities with respect to each input embedding vector.
 *
 * <p>Forward over the whole sequence (no KV cache), then the backward from the last layer down. When every layer's
 * activations fit {@link #KEEP_BYTES} they are all kept from the forward; otherwise only each layer's input is kept
 * ({@code T x hidden} floats per layer) and each layer's forward is recomputed from it just before its backward
 * (activation checkpointing per layer: one forward more, memory bounded by one layer's activations). Attention
 * probabilities are recomputed row by row in both cases, never stored as a T x T matrix.
 */
final class InputGradients {

    /** System property: the most bytes of activations kept from the forward (default 2 GiB); above, layers are recomputed. */
    static final String KEEP_PROPERTY = "longbel.saliency.keepBytes";
    static final long KEEP_BYTES = Long.getLong(KEEP_PROPERTY, 2L << 30);

    private final long keepBytes;
    private final ModelConfig c;
    private final LlamaWeights w;
    private final CpuBackend cpu;
    private final CpuGradients grad;
    private final float[] invFreq;

    InputGradients(ModelConfig config, LlamaWeights weights, CpuBackend cpu, float[] invFreq) {
        this(config, weights, cpu, invFreq, KEEP_BYTES);
    }

    /** With {@code keepBytes} for the activations kept from the forward (0: recompute every layer). */
    InputGradients(ModelConfig config, LlamaWeights weights, CpuBackend cpu, float[] invFreq, long keepBytes) {
        this.keepBytes = keepBytes;
        this.c = config;
        this.w = weights;
        this.cpu = cpu;
        this.grad = new CpuGradients(cpu);
        this.invFreq = invFreq;
    }

    /** See {@link CausalLM#inputGradientNorms}. */
    double[] norms(int[] ids, int promptLength, int[] excludedTargets, int[] maskedKeys) {
        int T = ids.length, D = c.hiddenSize();
        float[] dx = gradient(embeddings(ids), ids, promptLength, excludedTargets, maskedKeys, null);
        double[] norms = new double[T];
        for (int t = 0; t < T; t++) {
            double s = 0;
            for (int d = 0; d < D; d++) s += (double) dx[t * D + d] * dx[t * D + d];
            norms[t] = Math.sqrt(s);
        }
        return norms;
    }

    /** The input embedding vectors of {@code ids}, {@code [T, hidden]}. */
    float[] embeddings(int[] ids) {
        float[] x = new float[ids.length * c.hiddenSize()];
        cpu.embed(cpu.weight(w.tokenEmbedding()), ids, wrap(x));
        return x;
    }

    /**
     * The gradient of the objective with respect to the input vectors {@code x0 [T, hidden]} (the embeddings of
     * {@code ids}, or a perturbation of them); the objective itself goes into {@code objective[0]} when given.
     */
    float[] gradient(float[] x0, int[] ids, int promptLength, int[] excludedTargets, int[] maskedKeys, double[] objective) {
        int T = ids.length, D = c.hiddenSize();
        float eps = c.rmsNormEps();
        boolean[] hidden = new boolean[T];
        for (int t = 0; t < T; t++) hidden[t] = contains(maskedKeys, ids[t]);
        int[] positions = new int[T];
        for (int t = 0; t < T; t++) positions[t] = t;
        RopeAngles angles = RopeAngles.of(positions, invFreq);

        // forward, keeping each layer's input, and every layer's activations when they fit
        int layers = c.numLayers();
        boolean keep = (long) layers * activationBytesPerToken(c) * T <= keepBytes;
        float[][] inputs = new float[layers][];
        Layer[] kept = new Layer[layers];
        float[] x = x0;
        Layer l = new Layer(T);
        for (int i = 0; i < layers; i++) {
            inputs[i] = x;
            if (keep) kept[i] = l = new Layer(T);
            l.forward(w.layers().get(i), x, hidden, angles);
            x = l.out.clone();
        }

        // the objective's rows: position j - 1 predicts target j
        List<Integer> rows = new ArrayList<>();
        for (int j = Math.max(promptLength, 1); j < T; j++) if (!contains(excludedTargets, ids[j])) rows.add(j - 1);
        int n = rows.size(), V = c.vocabSize();
        float[] f = new float[T * D];
        cpu.rmsNorm(wrap(x), T, cpu.weight(w.finalNorm()), eps, wrap(f));
        int[] at = rows.stream().mapToInt(Integer::intValue).toArray();
        float[] logits = new float[n * V];
        cpu.logits(wrap(f), at, cpu.weight(w.lmHead()), wrap(logits));
        // d/dlogits of log_softmax(logits)[target] = onehot(target) - softmax(logits)
        float[] dLogits = new float[n * V];
        double sum = 0;
        for (int r = 0; r < n; r++) {
            float[] row = java.util.Arrays.copyOfRange(logits, r * V, (r + 1) * V);
            LogSoftmax.Normalizer norm = LogSoftmax.normalizer(row);
            for (int v = 0; v < V; v++) dLogits[r * V + v] = (float) -Math.exp(norm.apply(row[v]));
            dLogits[r * V + ids[at[r] + 1]] += 1f;
            sum += norm.apply(row[ids[at[r] + 1]]);
        }
        if (objective != null) objective[0] = sum;
        float[] dfRows = new float[n * D];
        grad.productTransposed(dLogits, n, w.lmHead(), dfRows);
        float[] df = new float[T * D];
        for (int r = 0; r < n; r++) System.arraycopy(dfRows, r * D, df, at[r] * D, D);
        float[] dx = new float[T * D];
        grad.rmsNormBackward(x, T, w.finalNorm(), eps, df, dx);

        // backward, layer by layer from the top (recomputing each layer's forward from its input when not kept)
        for (int i = layers - 1; i >= 0; i--) {
            Layer layer = keep ? kept[i] : l;
            if (!keep) layer.forward(w.layers().get(i), inputs[i], hidden, angles);
            dx = layer.backward(w.layers().get(i), inputs[i], dx, angles);
            if (keep) kept[i] = null;
        }
        return dx;
    }

    /** Bytes of one layer's kept activations per token (see {@link Layer}). */
    static long activationBytesPerToken(ModelConfig c) {
        return 4L * (5L * c.hiddenSize() + 2L * c.qDim() + 2L * c.kvDim() + 3L * c.intermediateSize());
    }

    private static boolean contains(int[] set, int id) {
        for (int s : set) if (s == id) return true;
        return false;
    }

    /** One decoder layer's activations over the sequence, forward and backward. */
    private final class Layer {
        final int T;
        final float[] a, q, k, v, att, o, mid, b, gate, up, m, out;
        boolean[] hiddenKeys;

        Layer(int T) {
            this.T = T;
            int D = c.hiddenSize(), qDim = c.qDim(), kvDim = c.kvDim(), H = c.intermediateSize();
            a = new float[T * D];
            q = new float[T * qDim];
            k = new float[T * kvDim];
            v = new float[T * kvDim];
            att = new float[T * qDim];
            o = new float[T * D];
            mid = new float[T * D];
            b = new float[T * D];
            gate = new float[T * H];
            up = new float[T * H];
            m = new float[T * H];
            out = new float[T * D];
        }

        /** {@code out = layer(x)}, keeping the activations the backward needs. */
        void forward(LlamaWeights.Layer lw, float[] x, boolean[] hidden, RopeAngles angles) {
            this.hiddenKeys = hidden;
            int D = c.hiddenSize(), H = c.intermediateSize();
            cpu.rmsNorm(wrap(x), T, cpu.weight(lw.inputNorm()), c.rmsNormEps(), wrap(a));
            cpu.matmul(wrap(a), T, cpu.weight(lw.wq()), wrap(q));
            cpu.matmul(wrap(a), T, cpu.weight(lw.wk()), wrap(k));
            cpu.matmul(wrap(a), T, cpu.weight(lw.wv()), wrap(v));
            cpu.rope(wrap(q), T, c.numHeads(), c.headDim(), angles);
            cpu.rope(wrap(k), T, c.numKvHeads(), c.headDim(), angles);
            grad.attention(q, k, v, hidden, T, c.numHeads(), c.numKvHeads(), c.headDim(), att);
            cpu.matmul(wrap(att), T, cpu.weight(lw.wo()), wrap(o));
            for (int i = 0; i < T * D; i++) mid[i] = x[i] + o[i];
            cpu.rmsNorm(wrap(mid), T, cpu.weight(lw.postAttentionNorm()), c.rmsNormEps(), wrap(b));
            cpu.matmul(wrap(b), T, cpu.weight(lw.wGate()), wrap(gate));
            cpu.matmul(wrap(b), T, cpu.weight(lw.wUp()), wrap(up));
            System.arraycopy(gate, 0, m, 0, T * H);
            cpu.siluMul(wrap(m), wrap(up), T * H);
            cpu.matmul(wrap(m), T, cpu.weight(lw.wDown()), wrap(out));
            for (int i = 0; i < T * D; i++) out[i] += mid[i];
        }

        /** {@code into += dy · w} over the layer's rows, through {@code scratch}. */
        private void addProductTransposed(float[] dy, Tensor w, float[] into, float[] scratch) {
            grad.productTransposed(dy, T, w, scratch);
            for (int i = 0; i < T * c.hiddenSize(); i++) into[i] += scratch[i];
        }

        /**
         * The gradient with respect to the layer's input {@code x}, given the gradient {@code dOut} of its output;
         * the activations are those of {@link #forward} on {@code x}.
         */
        float[] backward(LlamaWeights.Layer lw, float[] x, float[] dOut, RopeAngles angles) {
            int D = c.hiddenSize(), qDim = c.qDim(), kvDim = c.kvDim(), H = c.intermediateSize();
            float eps = c.rmsNormEps();
            // MLP: out = mid + Wdown · (silu(Wgate · b) * (Wup · b)), b = norm(mid)
            float[] dm = new float[T * H];
            grad.productTransposed(dOut, T, lw.wDown(), dm);
            CpuGradients.siluMulBackward(dm, gate, up, T * H);     // gate, up now hold their gradients
            float[] db = new float[T * D], tmp = new float[T * D];
            grad.productTransposed(gate, T, lw.wGate(), db);
            addProductTransposed(up, lw.wUp(), db, tmp);
            float[] dMid = dOut.clone();
            grad.rmsNormBackward(mid, T, lw.postAttentionNorm(), eps, db, dMid);
            // attention: mid = x + Wo · attn(rope(Wq a), rope(Wk a), Wv a), a = norm(x)
            float[] dAtt = new float[T * qDim];
            grad.productTransposed(dMid, T, lw.wo(), dAtt);
            float[] dq = new float[T * qDim], dk = new float[T * kvDim], dv = new float[T * kvDim];
            grad.attentionBackward(q, k, v, hiddenKeys, att, dAtt, T, c.numHeads(), c.numKvHeads(), c.headDim(), dq, dk, dv);
            CpuGradients.ropeBackward(dq, T, c.numHeads(), c.headDim(), angles);
            CpuGradients.ropeBackward(dk, T, c.numKvHeads(), c.headDim(), angles);
            float[] da = new float[T * D];
            grad.productTransposed(dq, T, lw.wq(), da);
            addProductTransposed(dk, lw.wk(), da, tmp);
            addProductTransposed(dv, lw.wv(), da, tmp);
            float[] dx = dMid.clone();
            grad.rmsNormBackward(x, T, lw.inputNorm(), eps, da, dx);
            return dx;
        }
    }
}
