package org.longbel.core;

import java.util.List;

/**
 * Every weight tensor of a Llama model, as views into the memory-mapped checkpoint.
 *
 * @param tokenEmbedding {@code model.embed_tokens.weight} [vocab, hidden]
 * @param layers         one entry per decoder layer
 * @param finalNorm      {@code model.norm.weight} [hidden]
 * @param lmHead         {@code lm_head.weight} [vocab, hidden], or the embedding itself when tied
 */
public record LlamaWeights(Tensor tokenEmbedding, List<Layer> layers, Tensor finalNorm, Tensor lmHead) {

    /** The tensors of {@code model.layers.N}. Linear weights are [out, in]. */
    public record Layer(Tensor inputNorm, Tensor wq, Tensor wk, Tensor wv, Tensor wo,
                        Tensor postAttentionNorm, Tensor wGate, Tensor wUp, Tensor wDown) {
    }
}
