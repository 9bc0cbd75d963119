package org.longbel.cuda.kernels;

import jcuda.driver.CUstream;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.longbel.cuda.CudaException;

/**
 * Runs the {@link Launch}es that {@link Launches} builds (where the launch configurations are documented) on a
 * stream with {@code cuLaunchKernel}. Launches are asynchronous; a launch of zero rows or elements is skipped.
 * Argument meanings are those of the kernels in {@code longbel_kernels.cu} and of the {@link Launches} methods.
 */
public final class Kernels {

    private final KernelModule module;

    public Kernels(KernelModule module) {
        this.module = module;
    }

    /** The module the kernels come from. */
    public KernelModule module() { return module; }

    /** Enqueues a launch on {@code stream} (null: the legacy default stream). */
    public void run(Launch launch, CUstream stream) {
        if (launch.gridX() == 0) return;
        int status = JCudaDriver.cuLaunchKernel(module.function(launch.kernel()), launch.gridX(), launch.gridY(),
                launch.gridZ(), launch.blockX(), 1, 1, launch.sharedBytes(), stream, launch.kernelParams(), null);
        if (status != CUresult.CUDA_SUCCESS)
            throw new CudaException("cuLaunchKernel(" + launch.kernel() + ") failed: " + CUresult.stringFor(status)
                    + " (" + status + ")");
    }
}
