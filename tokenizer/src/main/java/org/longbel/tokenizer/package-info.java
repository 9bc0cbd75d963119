/**
 * A pure-Java implementation of Hugging Face {@code tokenizer.json} pipelines for byte-level BPE
 * tokenizers (Llama 3 and LongBEL's variant of it), id-for-id identical to Hugging Face's Rust library.
 *
 * <p>{@link org.longbel.tokenizer.Tokenizer} is the entry point. Its stages mirror Hugging Face's:
 * added-token splitting ({@code AddedTokenSplitter}), pre-tokenization ({@code Llama3Splitter}, the
 * Llama-3 split pattern matched by hand, then byte-level mapping), the BPE model ({@code BpeModel},
 * merges driven by a rank-ordered heap), the template post-processor and the ByteLevel decoder.
 * {@code TokenizerLoader} reads the JSON files and rejects, with a message naming it, any component or
 * option not implemented here.
 */
package org.longbel.tokenizer;
