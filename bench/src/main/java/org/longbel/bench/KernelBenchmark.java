package org.longbel.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.longbel.core.DType;
import org.longbel.core.Tensor;
import org.longbel.core.backend.CpuBackend;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * This machine's ceilings and the matmul measured against them, in one JMH run:
 * <ul>
 *   <li>{@code fmaPeak}: float32 fused multiply-adds of the preferred vector width, twelve independent chains
 *       per thread, on {@code threads} threads; score in GFLOP/s (ops/s x 1e-9 flops);</li>
 *   <li>{@code readBandwidth}: a 1 GiB off-heap buffer (larger than any cache) read once by {@code threads}
 *       threads with vector loads; score in GB/s;</li>
 *   <li>{@code matmul}: {@code rows x in} float32 activations times a BF16 {@code [out, in]} weight at the
 *       LongBEL-1B shapes ({@code shape}: qo 2048x2048, kv 512x2048, gateUp 8192x2048, down 2048x8192),
 *       through {@link CpuBackend#matmul}; score in GFLOP/s.</li>
 * </ul>
 * Read the secondary scores {@code gflop} (GFLOP/s) and {@code gbyte} (GB/s): JMH reports these counters as
 * rates; the primary score only counts calls.
 * <pre>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar KernelBenchmark -p threads=2}</pre>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class KernelBenchmark {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final long BUFFER_BYTES = 1L << 30;
    private static final int FMA_STEPS = 1 << 20;

    @Param({"2"})
    public int threads;

    private Arena arena;
    private MemorySegment buffer;
    private CpuBackend backend;
    private Parallel parallel;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        backend = new CpuBackend(threads);
        parallel = new Parallel(threads);
    }

    /** One weight matrix of the 1B shape and {@code rows} activation rows. */
    @State(Scope.Benchmark)
    public static class Matmul {
        @Param({"qo", "kv", "gateUp", "down"})
        public String shape;

        @Param({"128", "512"})
        public int rows;

        private Arena arena;
        private Tensor weight;
        private float[] x, out;

        @Setup(Level.Trial)
        public void setUp() {
            arena = Arena.ofShared();
            int in = shape.equals("down") ? 8192 : 2048;
            int outDim = switch (shape) {
                case "qo", "down" -> 2048;
                case "kv" -> 512;
                case "gateUp" -> 8192;
                default -> throw new IllegalArgumentException("unknown shape " + shape);
            };
            SplittableRandom random = new SplittableRandom(11);
            MemorySegment w = arena.allocate(2L * in * outDim, 64);
            for (long i = 0; i < (long) in * outDim; i++) {
                w.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2 * i,
                        (short) (Float.floatToRawIntBits((float) random.nextGaussian() * 0.02f) >>> 16));
            }
            weight = new Tensor("w", DType.BF16, new long[] {outDim, in}, w);
            x = new float[rows * in];
            for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
            out = new float[rows * outDim];
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    /** Fills the bandwidth buffer only for that benchmark (1 GiB). */
    private MemorySegment buffer() {
        if (buffer == null) {
            buffer = arena.allocate(BUFFER_BYTES, 64);
            buffer.fill((byte) 1);
        }
        return buffer;
    }

    /** Work done, reported by JMH as rates: {@code gflop} in GFLOP/s, {@code gbyte} in GB/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Work {
        public double gflop;
        public double gbyte;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
        backend.close();
        arena.close();
    }

    /** GFLOP/s of independent vector FMAs on {@code threads} threads. */
    @Benchmark
    public void fmaPeak(Blackhole bh, Work work) {
        double flops = 2.0 * F.length() * 12 * FMA_STEPS * threads;
        parallel.run(t -> bh.consume(fmaChains(FMA_STEPS)));
        work.gflop += flops * 1e-9;
    }

    /** Twelve independent chains {@code a = a * 0.999 + 0.001} (they stay near 1: no subnormals). */
    private static float fmaChains(int steps) {
        FloatVector m = FloatVector.broadcast(F, 0.999f), c = FloatVector.broadcast(F, 1e-3f);
        FloatVector a0 = FloatVector.broadcast(F, 1f), a1 = a0.add(1), a2 = a0.add(2), a3 = a0.add(3);
        FloatVector a4 = a0.add(4), a5 = a0.add(5), a6 = a0.add(6), a7 = a0.add(7);
        FloatVector a8 = a0.add(8), a9 = a0.add(9), a10 = a0.add(10), a11 = a0.add(11);
        for (int i = 0; i < steps; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).lane(0);
    }

    /** GB/s of reading a 1 GiB buffer with vector loads, split over {@code threads} threads. */
    @Benchmark
    public void readBandwidth(Blackhole bh, Work work) {
        MemorySegment buf = buffer();
        long share = BUFFER_BYTES / threads;
        parallel.run(t -> bh.consume(readSum(buf, t * share, share)));
        work.gbyte += BUFFER_BYTES * 1e-9;
    }

    private static float readSum(MemorySegment seg, long from, long bytes) {
        long step = F.vectorByteSize();
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (long o = from, end = from + bytes; o < end; o += 4 * step) {
            a0 = a0.add(FloatVector.fromMemorySegment(F, seg, o, ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(FloatVector.fromMemorySegment(F, seg, o + step, ByteOrder.LITTLE_ENDIAN));
            a2 = a2.add(FloatVector.fromMemorySegment(F, seg, o + 2 * step, ByteOrder.LITTLE_ENDIAN));
            a3 = a3.add(FloatVector.fromMemorySegment(F, seg, o + 3 * step, ByteOrder.LITTLE_ENDIAN));
        }
        return a0.add(a1).add(a2).add(a3).lane(0);
    }

    /** GFLOP/s of one matmul at the chosen shape and row count. */
    @Benchmark
    public void matmul(Blackhole bh, Work work, Matmul m) {
        backend.matmul(CpuBackend.wrap(m.x), m.rows, backend.weight(m.weight), CpuBackend.wrap(m.out));
        bh.consume(m.out);
        work.gflop += 2e-9 * m.rows * m.weight.rows() * m.weight.cols();
    }
}
