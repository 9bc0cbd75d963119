package org.longbel.cuda;

/**
 * One CUDA device as the driver reports it.
 *
 * @param ordinal          device index
 * @param name             marketing name, e.g. "NVIDIA H100 80GB HBM3"
 * @param totalMemoryBytes global memory
 * @param computeMajor     compute capability, major
 * @param computeMinor     compute capability, minor
 * @param multiprocessors  streaming multiprocessor count
 */
public record CudaDevice(int ordinal, String name, long totalMemoryBytes, int computeMajor, int computeMinor,
                         int multiprocessors) {
}
