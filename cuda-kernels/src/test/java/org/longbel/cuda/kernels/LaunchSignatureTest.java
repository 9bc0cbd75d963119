package org.longbel.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Java launcher against the kernel it launches, without a GPU: argument count and types against the
 * {@code .param} list of the PTX {@code .entry}, block size against its {@code .maxntid}
 * ({@code __launch_bounds__}), and the launch constants against the {@code #define}s of the source.
 */
class LaunchSignatureTest {

    static PtxEntries ptx;
    static final long D = 0x7f0000001000L;

    @BeforeAll
    static void parse() {
        ptx = ptxOrParse();
    }

    static synchronized PtxEntries ptxOrParse() {
        if (ptx == null) {
            try {
                ptx = PtxEntries.parse(Files.readString(PtxFreshnessTest.PTX));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return ptx;
    }

    /** One launch of every kernel, with shapes of the real model (Llama-3.2-1B). */
    static Map<String, Launch> everyLaunch() {
        Map<String, Launch> all = new LinkedHashMap<>();
        for (Launch l : List.of(
                Launches.embedBf16(D, D, D, 7, 2048),
                Launches.rmsNorm(D, D, D, 7, 2048, 1e-5f),
                Launches.rmsNormF32Weight(D, D, D, 7, 48, 1e-5f),
                Launches.rope(D, D, D, 7, 32, 64),
                Launches.writeKv(D, D, D, D, D, 7, 512, 16, 3, 2L * 16 * 16 * 512),
                Launches.attention(D, D, D, D, D, D, 7, 32, 8, 64, 16, 3, 2L * 16 * 16 * 512, 0.125f),
                Launches.siluMul(D, D, 7L * 8192),
                Launches.addInplace(D, D, 7L * 2048),
                Launches.f32ToBf16(D, D, 100),
                Launches.bf16ToF32(D, D, 100),
                Launches.gatherRows(D, D, D, 3, 2048),
                Launches.rowLogsumexp(D, D, 7, 128256),
                Launches.rowNormalizers(D, D, D, 7, 128256),
                Launches.gatherLogits(D, D, D, D, 300, 128256),
                Launches.topkRows(D, D, D, D, 7, 128256, 10))) {
            all.put(l.kernel(), l);
        }
        return all;
    }

    @Test
    void everyKernelHasALauncher() {
        assertEquals(new TreeSet<>(KernelModule.KERNEL_NAMES), new TreeSet<>(everyLaunch().keySet()));
        assertEquals(new TreeSet<>(KernelModule.KERNEL_NAMES), new TreeSet<>(ptx.entries().keySet()));
    }

    @Test
    void argumentsMatchThePtxParameters() {
        for (Launch launch : everyLaunch().values()) {
            PtxEntries.Entry entry = ptx.entries().get(launch.kernel());
            assertEquals(entry.paramTypes().size(), launch.args().size(),
                    launch.kernel() + ": Java passes " + launch.args().size() + " arguments, the kernel takes "
                            + entry.paramTypes());
            for (int i = 0; i < launch.args().size(); i++) {
                Launch.Arg arg = launch.args().get(i);
                assertTrue(arg.ptxTypes().contains(entry.paramTypes().get(i)),
                        launch.kernel() + " argument " + i + ": Java passes " + arg + ", the PTX parameter is ."
                                + entry.paramTypes().get(i));
            }
        }
    }

    @Test
    void blocksMatchTheLaunchBounds() {
        for (Launch launch : everyLaunch().values()) {
            int max = ptx.entries().get(launch.kernel()).maxThreads();
            assertTrue(max > 0, launch.kernel() + " has no __launch_bounds__");
            assertEquals(max, launch.blockX(), launch.kernel() + ": block size vs __launch_bounds__");
        }
    }

    @Test
    void constantsMatchTheSourceDefines() {
        Map<String, Integer> defines = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^#define\\s+(\\w+)\\s+(\\d+)\\b").matcher(KernelModule.source());
        while (m.find()) defines.put(m.group(1), Integer.parseInt(m.group(2)));
        assertEquals(Launches.ROW_THREADS, defines.get("ROW_THREADS"));
        assertEquals(Launches.EW_THREADS, defines.get("EW_THREADS"));
        assertEquals(Launches.LSE_THREADS, defines.get("LSE_THREADS"));
        assertEquals(Launches.TOPK_THREADS, defines.get("TOPK_THREADS"));
        assertEquals(Launches.TOPK_MAX, defines.get("TOPK_MAX"));
        assertEquals(Launches.ATT_WARPS, defines.get("ATT_WARPS"));
    }

    @Test
    void attentionCoversAWholeGqaGroupPerCta() {
        Launch l = Launches.attention(D, D, D, D, D, D, 300, 32, 8, 64, 16, 0, 1L, 0.125f);
        assertEquals(List.of(300, 8, 1), List.of(l.gridX(), l.gridY(), l.gridZ()));
        assertEquals(Launches.attentionSharedBytes(64, 4), l.sharedBytes());
        // groups of 6 go in 3 CTAs of 2 heads, groups of 3 in 3 CTAs of 1; fixtures (8 and 16 wide heads)
        assertEquals(3, Launches.attention(D, D, D, D, D, D, 1, 12, 2, 8, 4, 0, 1L, 1f).gridZ());
        assertEquals(3, Launches.attention(D, D, D, D, D, D, 1, 3, 1, 16, 4, 0, 1L, 1f).gridZ());
        // the largest shape fits the default 48 KB of shared memory
        assertTrue(Launches.attentionSharedBytes(256, 4) <= Launches.DEFAULT_SHARED_LIMIT);
        assertThrows(IllegalArgumentException.class,
                () -> Launches.attention(D, D, D, D, D, D, 1, 32, 8, 258, 16, 0, 1L, 1f));
        assertThrows(IllegalArgumentException.class,
                () -> Launches.attention(D, D, D, D, D, D, 1, 32, 8, 63, 16, 0, 1L, 1f));
        assertThrows(IllegalArgumentException.class,
                () -> Launches.attention(D, D, D, D, D, D, 1, 30, 8, 64, 16, 0, 1L, 1f));
    }

    @Test
    void elementwiseGridsAndEmptyLaunches() {
        assertEquals(1, Launches.siluMul(D, D, 1).gridX());
        assertEquals(2, Launches.siluMul(D, D, 257).gridX());
        assertEquals(Launches.EW_MAX_BLOCKS, Launches.addInplace(D, D, 1L << 40).gridX());
        assertEquals(0, Launches.addInplace(D, D, 0).gridX(), "nothing to do: skipped by Kernels.run");
        assertEquals(0, Launches.rmsNorm(D, D, D, 0, 2048, 1e-5f).gridX());
        assertThrows(IllegalArgumentException.class, () -> Launches.topkRows(D, D, D, D, 1, 128256, 65));
        assertThrows(IllegalArgumentException.class, () -> Launches.topkRows(D, D, D, D, 1, 5, 6));
        // a long long argument is passed as 64 bits
        assertEquals(new Launch.I64(7L * 8192), Launches.siluMul(D, D, 7L * 8192).args().get(2));
    }
}
