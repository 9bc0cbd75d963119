package org.longbel.core.backend;

import static org.longbel.core.backend.VectorKernels.F;
import static org.longbel.core.backend.VectorKernels.LANES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import org.longbel.core.Tensor;

/**
 * Consecutive rows of a weight matrix widened to float32 and laid out for {@link MicroKernels}: each group of
 * four rows is stored vector chunk by vector chunk ({@code [chunk][row 0..3][lane]}), then the four rows'
 * scalar tails ({@code [row 0..3][in - bound]}); rows left over after the last full group follow as plain rows.
 * Used for F32 and F16 weights; one panel per thread, reused from call to call.
 */
final class PackedPanel {

    private float[] data = new float[0];
    private int in, bound, firstRow, endRow, groups;

    /** Widens rows {@code [o0, o1)} of {@code w} into this panel. */
    void pack(Tensor w, int o0, int o1) {
        in = w.cols();
        bound = F.loopBound(in);
        firstRow = o0;
        endRow = o1;
        groups = (o1 - o0) / 4;
        int size = (o1 - o0) * in;
        if (data.length < size) data = new float[size];
        for (int g = 0; g < groups; g++) packGroup(w, o0 + 4 * g, g * 4 * in);
        for (int o = o0 + 4 * groups; o < o1; o++) VectorKernels.widenRow(w, o, data, rowOffset(o));
    }

    private void packGroup(Tensor w, int row, int off) {
        MemorySegment seg = w.data();
        int bytes = w.dtype().bytes();
        long rowBytes = (long) in * bytes;
        long base = (long) row * rowBytes;
        int tailOff = off + 4 * bound, tail = in - bound;
        switch (w.dtype()) {
            case BF16 -> {
                for (int j = 0; j < 4; j++) {
                    long rb = base + j * rowBytes;
                    for (int i = 0, d = off + j * LANES; i < bound; i += LANES, d += 4 * LANES) {
                        VectorKernels.bf16(seg, rb + 2L * i).intoArray(data, d);
                    }
                    for (int i = bound; i < in; i++) data[tailOff + j * tail + i - bound] = VectorKernels.bf16Scalar(seg, rb + 2L * i);
                }
            }
            case F32 -> {
                for (int j = 0; j < 4; j++) {
                    long rb = base + j * rowBytes;
                    for (int i = 0, d = off + j * LANES; i < bound; i += LANES, d += 4 * LANES) {
                        FloatVector.fromMemorySegment(F, seg, rb + 4L * i, VectorKernels.LE).intoArray(data, d);
                    }
                    for (int i = bound; i < in; i++) data[tailOff + j * tail + i - bound] = seg.get(VectorKernels.F32_LE, rb + 4L * i);
                }
            }
            case F16 -> {
                for (int j = 0; j < 4; j++) {
                    long rb = base + j * rowBytes;
                    for (int i = 0; i < in; i++) {
                        float v = Float.float16ToFloat(seg.get(VectorKernels.I16_LE, rb + 2L * i));
                        data[i < bound ? off + (i / LANES) * 4 * LANES + j * LANES + i % LANES : tailOff + j * tail + i - bound] = v;
                    }
                }
            }
        }
    }

    float[] data() { return data; }

    /** The input elements covered by full vector chunks; the rest are each row's scalar tail. */
    int bound() { return bound; }

    /** Width of a row (the matmul's input dimension). */
    int in() { return in; }

    /** Full groups of four rows. */
    int groups() { return groups; }

    /** First weight row (output column) in the panel. */
    int firstRow() { return firstRow; }

    /** One past the last weight row in the panel. */
    int endRow() { return endRow; }

    /** Where group {@code g} starts in {@link #data()}. */
    int groupOffset(int g) { return g * 4 * in; }

    /** Where leftover row {@code o} (not in a full group) starts in {@link #data()}. */
    int rowOffset(int o) { return (o - firstRow) * in; }
}
