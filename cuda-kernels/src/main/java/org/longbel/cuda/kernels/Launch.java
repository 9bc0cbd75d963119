package org.longbel.cuda.kernels;

import java.util.List;
import jcuda.NativePointerObject;
import jcuda.Pointer;

/**
 * One kernel launch, described as a value: which kernel, its grid and block, its dynamic shared memory and
 * its typed arguments in the kernel's parameter order. Built by the pure functions of {@link Launches},
 * run by {@link Kernels}; tests check the arguments against the PTX {@code .entry} parameter lists without
 * a GPU.
 *
 * @param kernel      the {@code extern "C"} kernel name
 * @param gridX       grid size in x (0: nothing to do, the launch is skipped)
 * @param gridY       grid size in y
 * @param gridZ       grid size in z
 * @param blockX      threads per block (the kernels use 1-D blocks)
 * @param sharedBytes dynamic shared memory in bytes
 * @param args        the arguments, in order
 */
public record Launch(String kernel, int gridX, int gridY, int gridZ, int blockX, int sharedBytes, List<Arg> args) {

    public Launch {
        args = List.copyOf(args);
        if (gridX < 0 || gridY < 1 || gridZ < 1 || blockX < 1 || sharedBytes < 0)
            throw new IllegalArgumentException("bad launch shape for " + kernel);
    }

    /** A kernel argument with its C type. */
    public sealed interface Arg {
        /** The PTX parameter types this argument matches (e.g. u64 for a pointer). */
        List<String> ptxTypes();

        /** A pointer to the host copy of the value, as cuLaunchKernel's kernelParams wants it. */
        NativePointerObject pointer();
    }

    /** A device pointer (any element type): its address, byte offsets included. */
    public record Ptr(long address) implements Arg {
        public Ptr {
            if (address == 0) throw new IllegalArgumentException("null device pointer");
        }
        public List<String> ptxTypes() { return List.of("u64", "b64"); }
        public NativePointerObject pointer() { return Pointer.to(new long[] {address}); }
    }

    /** A C {@code int}. */
    public record I32(int value) implements Arg {
        public List<String> ptxTypes() { return List.of("u32", "s32", "b32"); }
        public NativePointerObject pointer() { return Pointer.to(new int[] {value}); }
    }

    /** A C {@code long long}. */
    public record I64(long value) implements Arg {
        public List<String> ptxTypes() { return List.of("u64", "s64", "b64"); }
        public NativePointerObject pointer() { return Pointer.to(new long[] {value}); }
    }

    /** A C {@code float}. */
    public record F32(float value) implements Arg {
        public List<String> ptxTypes() { return List.of("f32", "b32"); }
        public NativePointerObject pointer() { return Pointer.to(new float[] {value}); }
    }

    /** The kernelParams array for cuLaunchKernel. */
    public Pointer kernelParams() {
        NativePointerObject[] pointers = new NativePointerObject[args.size()];
        for (int i = 0; i < pointers.length; i++) pointers[i] = args.get(i).pointer();
        return Pointer.to(pointers);
    }
}
