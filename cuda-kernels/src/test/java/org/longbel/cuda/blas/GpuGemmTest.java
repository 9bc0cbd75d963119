package org.longbel.cuda.blas;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import org.junit.jupiter.api.Test;
import org.longbel.cuda.GpuCheck;

/**
 * GPU only: real GEMMs through every implementation that opens here (JCublas and/or FFM), against a
 * double-precision reference on the host. Device memory comes from JCuda's driver API on the primary
 * context. Skips without a GPU; skips an implementation cuBLAS is not found for (set LONGBEL_CUDA_LIBPATH).
 */
class GpuGemmTest {

    @Test
    void matmulMatchesTheHostReferenceOnEveryImplementation() throws Exception {
        GpuCheck gpu = GpuCheck.run();
        assumeTrue(gpu.available(), () -> "skipped: no usable GPU here (" + gpu.reason() + ")");
        JCudaDriver.setExceptionsEnabled(true);
        JCudaDriver.cuInit(0);
        CUdevice dev = new CUdevice();
        JCudaDriver.cuDeviceGet(dev, 0);
        CUcontext ctx = new CUcontext();
        JCudaDriver.cuDevicePrimaryCtxRetain(ctx, dev);
        JCudaDriver.cuCtxSetCurrent(ctx);
        List<String> ran = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        try {
            for (GemmSearch.Preference p : new GemmSearch.Preference[] {GemmSearch.Preference.JCUBLAS,
                    GemmSearch.Preference.FFM}) {
                Gemm gemm;
                try {
                    gemm = Gemms.open(0, GemmSearch.defaults().withPreference(p));
                } catch (GemmUnavailableException e) {
                    refused.add(e.getMessage());
                    continue;
                }
                try (gemm) {
                    check(gemm, Gemm.Operands.F32, 3, 256, 40);
                    check(gemm, Gemm.Operands.BF16, 3, 256, 40);
                    check(gemm, Gemm.Operands.BF16, 17, 2048, 130);
                    ran.add(gemm.description());
                }
            }
        } finally {
            JCudaDriver.cuDevicePrimaryCtxRelease(dev);
        }
        System.out.println("GpuGemmTest ran on: " + ran + (refused.isEmpty() ? "" : " refused: " + refused));
        assumeTrue(!ran.isEmpty(), () -> "skipped: no cuBLAS found on this GPU machine: " + refused);
    }

    private static void check(Gemm gemm, Gemm.Operands ops, int rows, int in, int outDim) throws Exception {
        Random rnd = new Random(rows * 31L + in * 7L + outDim);
        float[] w = new float[outDim * in];
        float[] x = new float[rows * in];
        for (int i = 0; i < w.length; i++) w[i] = round(ops, rnd.nextFloat() * 2 - 1);
        for (int i = 0; i < x.length; i++) x[i] = round(ops, rnd.nextFloat() * 2 - 1);
        CUdeviceptr dw = upload(ops, w), dx = upload(ops, x), dout = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(dout, (long) rows * outDim * Float.BYTES);
        try {
            gemm.matmul(ops, address(dw), address(dx), address(dout), rows, in, outDim);
            JCudaDriver.cuCtxSynchronize();
            float[] out = new float[rows * outDim];
            JCudaDriver.cuMemcpyDtoH(Pointer.to(out), dout, (long) out.length * Float.BYTES);
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < outDim; o++) {
                    double ref = 0, abs = 0;
                    for (int k = 0; k < in; k++) {
                        double t = (double) x[r * in + k] * w[o * in + k];
                        ref += t;
                        abs += Math.abs(t);
                    }
                    double err = Math.abs(out[r * outDim + o] - ref);
                    // FP32 accumulation of exact products; TF32 inputs would be off by ~1e-4 of abs
                    assertTrue(err <= 5e-6 * abs + 1e-6, () -> gemm.description() + " " + ops + " [" + rows + "x" + in
                            + "x" + outDim + "]: out=" + out[0] + " ref differs by " + err);
                }
            }
        } finally {
            JCudaDriver.cuMemFree(dw);
            JCudaDriver.cuMemFree(dx);
            JCudaDriver.cuMemFree(dout);
        }
    }

    private static float round(Gemm.Operands ops, float v) {
        return ops == Gemm.Operands.BF16 ? Float.intBitsToFloat(Float.floatToIntBits(v) & 0xffff0000) : v;
    }

    private static CUdeviceptr upload(Gemm.Operands ops, float[] v) {
        CUdeviceptr d = new CUdeviceptr();
        if (ops == Gemm.Operands.F32) {
            JCudaDriver.cuMemAlloc(d, (long) v.length * Float.BYTES);
            JCudaDriver.cuMemcpyHtoD(d, Pointer.to(v), (long) v.length * Float.BYTES);
        } else {
            short[] b = new short[v.length];
            for (int i = 0; i < v.length; i++) b[i] = (short) (Float.floatToIntBits(v[i]) >>> 16);
            JCudaDriver.cuMemAlloc(d, (long) v.length * 2);
            JCudaDriver.cuMemcpyHtoD(d, Pointer.to(b), (long) v.length * 2);
        }
        return d;
    }

    /** The raw device address held by a JCuda pointer (private field; fine in a test). */
    private static long address(NativePointerObject p) throws ReflectiveOperationException {
        Field f = NativePointerObject.class.getDeclaredField("nativePointer");
        f.setAccessible(true);
        return f.getLong(p);
    }
}
