package org.longbel.linker;

import org.longbel.core.CausalLM;
import org.longbel.core.KvCache;
import org.longbel.core.ModelConfig;

/**
 * A {@link CausalLM} that hands everything to {@code inner}; tests override the forwards they observe or change.
 * Note that {@link CausalLM#forwardSelected}'s default calls this object's {@link #forward}.
 */
abstract class DelegatingModel implements CausalLM {
    final CausalLM inner;

    DelegatingModel(CausalLM inner) {
        this.inner = inner;
    }

    @Override public ModelConfig config() { return inner.config(); }

    @Override public KvCache newCache(int blockSize, long budgetBytes) { return inner.newCache(blockSize, budgetBytes); }

    @Override
    public float[][][] forward(KvCache cache, int[] seqs, int[][] tokens, int[][] logitIndices) {
        return inner.forward(cache, seqs, tokens, logitIndices);
    }

    @Override public void close() { inner.close(); }
}
