/**
 * LongBEL document linking: the public API ({@link org.longbel.linker.LongBel}) and the pipeline
 * that runs one page's mentions in order (prompt, constrained decoding, records, memory) while
 * pages run concurrently on a bounded pool.
 *
 * <p>Where one mention travels: {@link org.longbel.linker.prompt.MentionExtractor} (page to mentions,
 * reference §2) -> {@link org.longbel.linker.prompt.PromptBuilder} (§3) -> tokenizer -> a
 * {@link org.longbel.linker.MentionDecoder} (beam search under the group's trie constraint, §5) ->
 * {@link org.longbel.linker.output.PredictionMapper} (records, §6) -> the page's memory
 * ({@link org.longbel.linker.prompt.MemoryLine}, §4) for the next mention.
 */
package org.longbel.linker;
