package org.longbel.cuda.kernels;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.longbel.cuda.CudaException;

/**
 * Typed launchers of the project's kernels: each builds its {@link Launch} with {@link Launches} (where the
 * launch configurations are documented) and enqueues it on the given stream with {@code cuLaunchKernel}.
 * Launches are asynchronous; a launch of zero rows or elements is skipped. Argument meanings are those of
 * the kernels in {@code longbel_kernels.cu} and of the {@link Launches} methods.
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

    public void embedBf16(CUstream s, CUdeviceptr table, CUdeviceptr ids, CUdeviceptr out, int rows, int dim) {
        run(Launches.embedBf16(table, ids, out, rows, dim), s);
    }

    public void rmsNorm(CUstream s, CUdeviceptr x, CUdeviceptr weight, CUdeviceptr out, int rows, int dim, float eps) {
        run(Launches.rmsNorm(x, weight, out, rows, dim, eps), s);
    }

    public void rmsNormF32Weight(CUstream s, CUdeviceptr x, CUdeviceptr weight, CUdeviceptr out, int rows, int dim, float eps) {
        run(Launches.rmsNormF32Weight(x, weight, out, rows, dim, eps), s);
    }

    public void rope(CUstream s, CUdeviceptr x, CUdeviceptr cos, CUdeviceptr sin, int rows, int heads, int headDim) {
        run(Launches.rope(x, cos, sin, rows, heads, headDim), s);
    }

    public void writeKv(CUstream s, CUdeviceptr k, CUdeviceptr v, CUdeviceptr pool, CUdeviceptr rowBlock,
                        CUdeviceptr rowSlot, int rows, int kvDim, int blockSize, int layer, long blockFloats) {
        run(Launches.writeKv(k, v, pool, rowBlock, rowSlot, rows, kvDim, blockSize, layer, blockFloats), s);
    }

    public void attention(CUstream s, CUdeviceptr q, CUdeviceptr pool, CUdeviceptr tables, CUdeviceptr rowTableStart,
                          CUdeviceptr positions, CUdeviceptr out, int rows, int heads, int kvHeads, int headDim,
                          int blockSize, int layer, long blockFloats, float scale) {
        run(Launches.attention(q, pool, tables, rowTableStart, positions, out, rows, heads, kvHeads, headDim,
                blockSize, layer, blockFloats, scale), s);
    }

    public void siluMul(CUstream s, CUdeviceptr gate, CUdeviceptr up, long n) {
        run(Launches.siluMul(gate, up, n), s);
    }

    public void addInplace(CUstream s, CUdeviceptr x, CUdeviceptr y, long n) {
        run(Launches.addInplace(x, y, n), s);
    }

    public void f32ToBf16(CUstream s, CUdeviceptr x, CUdeviceptr out, long n) {
        run(Launches.f32ToBf16(x, out, n), s);
    }

    public void bf16ToF32(CUstream s, CUdeviceptr x, CUdeviceptr out, long n) {
        run(Launches.bf16ToF32(x, out, n), s);
    }

    public void gatherRows(CUstream s, CUdeviceptr x, CUdeviceptr rowIds, CUdeviceptr out, int n, int dim) {
        run(Launches.gatherRows(x, rowIds, out, n, dim), s);
    }

    public void rowLogsumexp(CUstream s, CUdeviceptr logits, CUdeviceptr out, int rows, int vocab) {
        run(Launches.rowLogsumexp(logits, out, rows, vocab), s);
    }

    public void rowNormalizers(CUstream s, CUdeviceptr logits, CUdeviceptr rowIds, CUdeviceptr out, int n, int vocab) {
        run(Launches.rowNormalizers(logits, rowIds, out, n, vocab), s);
    }

    public void gatherLogits(CUstream s, CUdeviceptr logits, CUdeviceptr rowOf, CUdeviceptr tokens, CUdeviceptr out,
                             int n, int vocab) {
        run(Launches.gatherLogits(logits, rowOf, tokens, out, n, vocab), s);
    }

    public void topkRows(CUstream s, CUdeviceptr logits, CUdeviceptr lse, CUdeviceptr outVals, CUdeviceptr outIds,
                         int rows, int vocab, int k) {
        run(Launches.topkRows(logits, lse, outVals, outIds, rows, vocab, k), s);
    }
}
