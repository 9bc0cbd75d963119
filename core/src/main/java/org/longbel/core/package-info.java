/**
 * The Llama engine's contracts and model: {@link org.longbel.core.ModelConfig} (read and validated from
 * {@code config.json} by {@link org.longbel.core.ModelConfigReader}), {@link org.longbel.core.Checkpoint}
 * (a checkpoint directory with its safetensors weights memory-mapped as {@link org.longbel.core.Tensor}s),
 * {@link org.longbel.core.LlamaModel} (the decoder, implementing {@link org.longbel.core.CausalLM}, the one
 * interface decoding and linking depend on) over a paged {@link org.longbel.core.KvCache}, and
 * {@link org.longbel.core.LogSoftmax}. Use it as {@code LlamaModel.load(dir, threads)}, then
 * {@code newCache(...)} and {@code forward(...)}; {@code ./longbel inspect --model DIR} shows what a
 * checkpoint holds. Kernels live in {@code backend}, file parsing in {@code safetensors}, the cache in {@code kv}.
 */
package org.longbel.core;
