package org.longbel.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash safety of {@code longbel link}, run through the real {@code ./longbel} launcher in a child process
 * ({@link LauncherInstall}): Ctrl-C (SIGINT) and {@code kill -9} in the middle of a run leave each output either absent
 * or as the previous run left it, byte for byte, never half a file; after SIGINT no temporary file is left, after
 * SIGKILL only the killed process's {@code .NAME.PID.RANDOM.partial} files, which the next run removes. A full disk
 * (simulated by a file-size limit) and an unwritable output directory end in exit code 1 and one line naming the file.
 *
 * <p>The interrupted runs link 20 synthetic documents (about 600 mentions: tens of seconds) and are signalled as soon as
 * the progress bar shows a linked mention, while their temporary output files exist. Each writes two outputs, the
 * predictions (with their {@code .meta.json}) and the prompts ({@code --dump-prompts}): one of them has a complete
 * previous version, the other none, so that one run checks both cases.
 */
class LinkCrashSafetyTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    /** The progress bar once at least one mention is linked: {@code ... 7/630 mentions ...}. */
    private static final Pattern LINKING = Pattern.compile("\\b[1-9]\\d*/\\d+ mentions");
    private static final int SIGINT = 2;

    @TempDir
    static Path shared;
    private static LauncherInstall install;
    private static Path corpus;
    private static Path kbCache;
    /** A complete earlier run's output, metadata and prompts (the seed example, 2 beams). */
    private static Path previous;
    private static Path previousPrompts;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        install = LauncherInstall.create(shared.resolve("install"));
        corpus = shared.resolve("corpus.json");
        CliRun synth = CliRun.of("corpus", "synth", "--docs", "20", "--kb", model().resolve("text_to_code.json").toString(),
                "--out", corpus.toString());
        assertEquals(0, synth.exitCode(), synth.err());
        kbCache = shared.resolve("kb-cache");
        previous = shared.resolve("previous/out.jsonl");
        previousPrompts = shared.resolve("previous/prompts.jsonl");
        Subprocess p = Subprocess.run(install.longbel(smallRun(previous, previousPrompts)), TIMEOUT);
        assertEquals(0, p.exitCode(), p.stderr());
        assertTrue(Files.size(previous) > 1024, "more than the 1 KiB file-size limit below");
    }

    private static Path model() {
        return CliRun.fixtures().resolve("models/tiny-llama32");
    }

    /** Links the seed example (5 mentions, 2 beams): a few seconds. */
    private static String[] smallRun(Path output, Path prompts) {
        return new String[] {"link", "--model", model().toString(), "--input",
                CliRun.fixtures().resolve("examples/seed_example.json").toString(), "--output", output.toString(),
                "--dump-prompts", prompts.toString(), "--kb-cache", kbCache.toString(), "--deterministic", "--beams", "2",
                "--no-progress"};
    }

    /** Links the synthetic corpus, with prompts dumped too (a second output). */
    private static String[] longRun(Path output, Path prompts) {
        return new String[] {"link", "--model", model().toString(), "--input", corpus.toString(), "--output",
                output.toString(), "--dump-prompts", prompts.toString(), "--kb-cache", kbCache.toString(),
                "--deterministic"};
    }

    /** Copies the previous run's output and metadata into {@code dir} as {@code out.jsonl(.meta.json)}. */
    private Path withPreviousOutput() throws IOException {
        Path out = dir.resolve("out.jsonl");
        Files.copy(previous, out);
        Files.copy(LinkCommand.metaPath(previous), LinkCommand.metaPath(out));
        return out;
    }

    /** Copies the previous run's prompts into {@code dir} as {@code prompts.jsonl}. */
    private Path withPreviousPrompts() throws IOException {
        return Files.copy(previousPrompts, dir.resolve("prompts.jsonl"));
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> temporaries(List<String> files) {
        return files.stream().filter(f -> f.endsWith(".partial")).toList();
    }

    /**
     * Starts the long run, waits until it is linking with its temporary files in place, sends {@code signal} and
     * returns the ended process.
     */
    private Subprocess interrupt(Path out, Path prompts, String signal) throws Exception {
        ProcessBuilder pb = install.longbel(longRun(out, prompts));
        if ("INT".equals(signal) && envResetsSignals()) {
            // a JVM ignores SIGINT when it inherits it ignored (a parent started in a shell's background): reset it
            pb.command().addAll(0, List.of("env", "--default-signal=INT"));
        }
        Subprocess p = Subprocess.start(pb);
        try {
            assertTrue(p.awaitStderr(LINKING, TIMEOUT), "no progress: " + p.stderr());
            List<String> temps = temporaries(files());
            assertTrue(temps.stream().anyMatch(f -> f.startsWith(".out.jsonl." + p.pid() + ".")),
                    "the output's temporary file exists while linking: " + files());
            if ("INT".equals(signal) && p.ignores(SIGINT)) {
                Assumptions.abort("SIGINT is ignored by the child process (inherited) and env cannot reset it here");
            }
            p.signal(signal);
            p.waitFor(TIMEOUT);
            return p;
        } finally {
            p.close();
        }
    }

    private static boolean envResetsSignals() throws IOException, InterruptedException {
        Process probe = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        return probe.waitFor() == 0;
    }

    private static void assertSameBytes(Path expected, Path actual) throws IOException {
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(actual), actual + " changed");
    }

    @Test
    void ctrlCLeavesEachOutputAbsentOrAsItWasAndNoTemporaryFile() throws Exception {
        Path out = dir.resolve("out.jsonl");
        Path prompts = withPreviousPrompts();
        Subprocess p = interrupt(out, prompts, "INT");
        assertEquals(130, p.exitCode(), p.stderr());
        assertEquals(List.of("prompts.jsonl"), files(), "no new output, the previous prompts, no temporary file");
        assertSameBytes(previousPrompts, prompts);
    }

    @Test
    void killLeavesEachOutputAbsentOrAsItWasAndTheNextRunRemovesItsTemporaryFiles() throws Exception {
        Path out = withPreviousOutput();
        Path prompts = dir.resolve("prompts.jsonl");
        Subprocess killed = interrupt(out, prompts, "KILL");
        assertEquals(128 + 9, killed.exitCode());
        assertSameBytes(previous, out);
        assertSameBytes(LinkCommand.metaPath(previous), LinkCommand.metaPath(out));
        assertFalse(Files.exists(prompts));
        assertOnlyTemporariesOf(killed.pid(), List.of("out.jsonl", "out.jsonl.meta.json"));

        Subprocess next = Subprocess.run(install.longbel(smallRun(out, prompts)), TIMEOUT);
        assertEquals(0, next.exitCode(), next.stderr());
        assertEquals(List.of("out.jsonl", "out.jsonl.meta.json", "prompts.jsonl"), files(),
                "the next run writing the same files removed the killed run's temporary files");
        // deterministic: the same input and settings give the same bytes
        assertSameBytes(previous, out);
        assertSameBytes(previousPrompts, prompts);
    }

    /** Besides {@code outputs}, only {@code .NAME.PID.HEX.partial} files of the killed process, none named like an output. */
    private void assertOnlyTemporariesOf(long pid, List<String> outputs) throws IOException {
        List<String> rest = new ArrayList<>(files());
        assertTrue(rest.containsAll(outputs), rest.toString());
        rest.removeAll(outputs);
        Pattern killedTemp = Pattern.compile("\\.(out\\.jsonl|out\\.jsonl\\.meta\\.json|prompts\\.jsonl)\\." + pid
                + "\\.[0-9a-f]+\\.partial");
        assertFalse(rest.isEmpty(), "SIGKILL runs no cleanup: the temporary files stay");
        for (String f : rest) assertTrue(killedTemp.matcher(f).matches(), "unexpected file after SIGKILL: " + f);
    }

    @Test
    void aFullDiskIsOneClearLineAndNoOutput() throws Exception {
        Path out = withPreviousOutput();
        Path prompts = dir.resolve("prompts.jsonl");
        // a 1 KiB file-size limit (RLIMIT_FSIZE): a write past it fails with EFBIG, as on a full disk with ENOSPC (the
        // JVM ignores SIGXFSZ); the kb cache is already built and --no-progress keeps jline off the terminal
        ProcessBuilder pb = install.longbel(smallRun(out, prompts));
        pb.command().addAll(0, List.of("bash", "-c", "ulimit -f 1 && exec \"$@\"", "bash"));
        Subprocess p = Subprocess.run(pb, TIMEOUT);
        assertEquals(1, p.exitCode(), p.stderr());
        List<String> lines = p.programStderrLines();
        assertEquals(1, lines.size(), p.stderr());
        assertTrue(Pattern.matches("longbel: cannot write (" + Pattern.quote(out.toString()) + "|"
                + Pattern.quote(prompts.toString()) + "): file too large \\(.*ulimit -f.*\\)", lines.getFirst()), lines.getFirst());
        assertEquals(List.of("out.jsonl", "out.jsonl.meta.json"), files());
        assertSameBytes(previous, out);
        assertSameBytes(LinkCommand.metaPath(previous), LinkCommand.metaPath(out));
    }

    @Test
    void anUnwritableOutputDirectoryIsOneClearLine() throws Exception {
        Path out = withPreviousOutput();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            List<String> prefix = unwritableAs(dir);
            Path target = out;
            String reason = "permission denied: directory " + dir + " is not writable";
            if (prefix == null) {
                // root without user namespaces: the mode is not enforced, but sysfs refuses new files even to root
                prefix = List.of();
                target = Path.of("/sys/out.jsonl");
                Assumptions.assumeTrue(unwritable(prefix, target.getParent()),
                        "no way to make a directory unwritable here: root, no user namespaces, no sysfs");
                reason = Files.isWritable(target.getParent()) ? "permission denied: directory /sys is not writable"
                        : "read-only file system";   // a container's /sys is often mounted read-only
            }
            ProcessBuilder pb = install.longbel(smallRun(target, target.resolveSibling("prompts.jsonl")));
            pb.command().addAll(0, prefix);
            Subprocess p = Subprocess.run(pb, TIMEOUT);
            assertEquals(1, p.exitCode(), p.stderr());
            assertEquals(List.of("longbel: cannot write " + target + ": " + reason), p.programStderrLines());
            assertFalse(Files.exists(Path.of("/sys/out.jsonl")));
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertEquals(List.of("out.jsonl", "out.jsonl.meta.json"), files());
        assertSameBytes(previous, out);
        assertSameBytes(LinkCommand.metaPath(previous), LinkCommand.metaPath(out));
    }

    /**
     * How to run a command for which {@code dir} (mode 555) is unwritable: as is (not root), or in a new user
     * namespace, where root's capabilities do not apply to the files ({@code unshare --user}); null when neither works.
     */
    private static List<String> unwritableAs(Path dir) throws IOException, InterruptedException {
        for (List<String> prefix : List.of(List.<String>of(), List.of("unshare", "--user", "--"))) {
            if (succeeds(prefix, "true") && unwritable(prefix, dir)) return prefix;
        }
        return null;
    }

    /** Whether {@code touch DIR/.probe} fails when run with {@code prefix} (a probe file made is removed). */
    private static boolean unwritable(List<String> prefix, Path dir) throws IOException, InterruptedException {
        Path probe = dir.resolve(".probe");
        boolean made = succeeds(prefix, "touch", probe.toString());
        if (made) Files.deleteIfExists(probe);
        return !made;
    }

    private static boolean succeeds(List<String> prefix, String... command) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(prefix);
        c.addAll(List.of(command));
        Process p;
        try {
            p = new ProcessBuilder(c).redirectErrorStream(true).start();
        } catch (IOException noSuchProgram) {
            return false;
        }
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }
}
