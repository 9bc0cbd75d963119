/**
 * The operations a Llama forward needs ({@link org.longbel.core.backend.Backend}) and their CPU implementation
 * ({@link org.longbel.core.backend.CpuBackend}: Vector API kernels on a fixed pool of worker threads it owns).
 *
 * <p>Every output element is reduced in a fixed order that depends only on its own row, so results do not
 * depend on the thread count, on the other rows of a batch, or on whether a prefix came from the KV cache.
 */
package org.longbel.core.backend;
