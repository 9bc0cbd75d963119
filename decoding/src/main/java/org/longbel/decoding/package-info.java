/**
 * Decoding: Hugging Face-exact beam search, beam sampling and greedy search under a token constraint.
 *
 * <p>A search ({@link org.longbel.decoding.BeamSearch}, {@link org.longbel.decoding.GreedySearch}) is a
 * pure state machine for one mention: it holds no model. Each step it names the running slots whose
 * next-token logits it needs ({@link org.longbel.decoding.DecodingSearch#slotsNeedingLogits()}), takes
 * those raw rows, and answers which parent slot and token every new running slot continues
 * ({@link org.longbel.decoding.Selection}), so a driver can fork and free KV-cache sequences.
 * {@link org.longbel.decoding.Generator} is such a driver for one mention over a
 * {@link org.longbel.core.CausalLM}; a batching scheduler can drive many searches the same way.
 *
 * <p>Constraints ({@link org.longbel.decoding.Constraint}) give the allowed next tokens of a running
 * sequence: {@link org.longbel.decoding.Unconstrained} and the LongBEL trie rule
 * {@link org.longbel.decoding.TrieConstraint}. Per-step row work is vectorised: the log-softmax over the
 * vocabulary is core's {@link org.longbel.core.LogSoftmax} (the one {@code longbel logprobs} uses too), candidate
 * selection is {@code CandidateScan}; every {@code torch.topk} of the reference follows PyTorch's CPU algorithm, tie order included ({@code TorchTopK}), so even
 * the "dead beam" ranks equal the reference's. Only small per-step statistics are kept, never whole rows.
 *
 * <p>Settings: {@link org.longbel.decoding.GenerationConfig} reads a checkpoint's
 * {@code generation_config.json} into {@link org.longbel.decoding.DecodingSettings}, with the eos, pad and bos
 * ids resolved once from the checkpoint's tokenizer and that file ({@link org.longbel.decoding.SpecialIds});
 * no checkpoint's ids are written into this package. The mode that ran
 * (beam search, beam sampling, greedy, sampling) is part of every {@link org.longbel.decoding.DecodingResult}.
 */
package org.longbel.decoding;
