/**
 * Zero-copy reading and streaming writing of the
 * <a href="https://github.com/huggingface/safetensors">safetensors</a> format.
 *
 * <p>A file is an 8-byte little-endian header length N, N bytes of JSON mapping each tensor name to its
 * {@code dtype}, {@code shape} and {@code data_offsets} (relative to the data section), then the data
 * section. {@link org.longbel.core.safetensors.SafetensorsFile} maps the whole file into a
 * {@link java.lang.foreign.MemorySegment} and hands out slices of it as
 * {@link org.longbel.core.Tensor}s after validating every entry;
 * {@link org.longbel.core.safetensors.SafetensorsDirectory} does the same for a Hugging Face checkpoint
 * directory, single-file or sharded through {@code model.safetensors.index.json}.
 */
package org.longbel.core.safetensors;
