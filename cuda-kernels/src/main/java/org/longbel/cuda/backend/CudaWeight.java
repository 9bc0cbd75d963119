package org.longbel.cuda.backend;

import org.longbel.core.Tensor;
import org.longbel.core.backend.Weight;

/**
 * A checkpoint tensor uploaded once to the device: BF16 tensors as they are, F32 tensors as they are, F16 tensors
 * widened to F32 on the way (so nothing is rounded that the CPU path does not round).
 *
 * @param tensor the checkpoint tensor
 * @param memory its device copy
 * @param bf16   whether the device copy is BF16 (else F32)
 */
record CudaWeight(Tensor tensor, Gpu.DeviceMemory memory, boolean bf16) implements Weight {

    static final String PURPOSE = "weights";

    /** Elements of the tensor. */
    long elements() { return tensor.elementCount(); }
}
