package org.longbel.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed PTX is built from the committed kernel sources: their SHA-256 matches the one
 * scripts/build-ptx.sh recorded, the PTX declares every kernel the Java side launches, and (where ptxas is
 * installed) it assembles for sm_90.
 */
class PtxFreshnessTest {

    static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    static final Path SOURCES = MODULE.resolve("src/main/cuda");
    static final Path PTX = MODULE.resolve("src/main/resources/org/longbel/cuda/ptx/longbel_kernels.ptx");
    static final Path SUMS = MODULE.resolve("src/main/resources/org/longbel/cuda/ptx/longbel_kernels.ptx.sha256");

    /** "hex  name" lines, sorted by name, as scripts/build-ptx.sh writes them with sha256sum. */
    static String sourceHashes() throws IOException, NoSuchAlgorithmException {
        List<Path> files;
        try (Stream<Path> s = Files.list(SOURCES)) {
            files = s.filter(f -> f.getFileName().toString().matches(".*\\.(cu|cuh)")).sorted().toList();
        }
        StringBuilder out = new StringBuilder();
        for (Path f : files) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
            out.append(HexFormat.of().formatHex(digest)).append("  ").append(f.getFileName()).append('\n');
        }
        return out.toString();
    }

    @Test
    void committedPtxWasBuiltFromTheCommittedSources() throws Exception {
        String recorded = Files.readString(SUMS, StandardCharsets.US_ASCII).strip();
        String actual = sourceHashes().strip();
        assertEquals(recorded, actual, "the kernel sources in " + SOURCES + " changed since the committed PTX was"
                + " built: run scripts/build-ptx.sh (needs nvcc) and commit the new longbel_kernels.ptx and .sha256");
    }

    @Test
    void ptxDeclaresEveryKernelTheJavaSideLaunches() throws IOException {
        PtxEntries entries = PtxEntries.parse(Files.readString(PTX));
        for (String name : KernelModule.KERNEL_NAMES)
            assertTrue(entries.entries().containsKey(name), "committed PTX has no .entry " + name);
        assertEquals(KernelModule.KERNEL_NAMES.size(), entries.entries().size(),
                "PTX entries not launched from Java: " + entries.entries().keySet());
    }

    @Test
    void bundledResourcesAreTheCommittedFiles() throws IOException {
        assertTrue(Files.readString(SOURCES.resolve("longbel_kernels.cu")).equals(KernelModule.source()),
                "class-path copy of the kernel source differs from src/main/cuda");
        assertTrue(Files.readString(PTX).stripTrailing().equals(KernelModule.ptx()),
                "class-path copy of the PTX differs from " + PTX);
        String isa = KernelModule.ptxIsaVersion(KernelModule.ptx());
        assertTrue(isa.matches("\\d+\\.\\d+"), "no .version in the committed PTX: " + isa);
        System.out.println("committed PTX: ISA " + isa + ", " + KernelModule.ptx().lines()
                .filter(l -> l.startsWith(".target")).findFirst().orElse("no .target"));
    }

    @Test
    void committedPtxAssemblesForSm90() throws Exception {
        Optional<Path> ptxas = onPath("ptxas");
        assumeTrue(ptxas.isPresent(), "ptxas is not on the PATH (no CUDA toolkit): skipping the sm_90 assembly check");
        Path cubin = MODULE.resolve("target/longbel_kernels.sm_90.cubin");
        Files.createDirectories(cubin.getParent());
        Process p = new ProcessBuilder(ptxas.get().toString(), "-arch=sm_90", "-v", PTX.toString(), "-o",
                cubin.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "ptxas timed out");
        assertEquals(0, p.exitValue(), "ptxas -arch=sm_90 failed on the committed PTX:\n" + out);
        // one summary line per kernel: registers, spills, shared memory
        String kernel = null;
        List<String> summary = new ArrayList<>();
        for (String line : out.lines().toList()) {
            if (line.contains("Compiling entry function")) kernel = line.replaceAll("[^']*'(\\w+)'.*", "$1");
            else if (line.contains("spill")) summary.add(kernel + ": " + line.strip());
            else if (line.contains("Used") && !summary.isEmpty()) summary.set(summary.size() - 1,
                    summary.getLast() + "; " + line.replaceAll(".*:\\s*", "").strip());
        }
        System.out.println("ptxas -arch=sm_90 on the committed PTX:\n  " + String.join("\n  ", summary));
        for (String s : summary)
            assertTrue(s.contains("0 bytes spill stores"), "a kernel spills registers: " + s);
    }

    static Optional<Path> onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }
}
