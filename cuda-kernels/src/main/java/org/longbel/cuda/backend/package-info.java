/**
 * The CUDA {@link org.longbel.core.backend.Backend}: one GPU through JCuda's driver API ({@code CudaContext}: primary
 * context, one stream, allocations recorded in a {@link org.longbel.cuda.backend.DeviceMemoryLedger}), pooled
 * activation buffers, pinned staging for copies, one device KV pool per cache, weights uploaded once, cuBLAS for the
 * products and the project's kernels for the rest. {@link org.longbel.cuda.backend.CudaBackendProvider} registers it
 * with {@code core}'s {@code Backends} through {@code ServiceLoader}.
 */
package org.longbel.cuda.backend;
