package org.longbel.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A child process whose stdout and stderr are read as they come, so that a test can wait for a line (a progress
 * update) instead of sleeping, signal the process, and read what it printed.
 */
final class Subprocess implements AutoCloseable {
    private final Process process;
    private final String description;
    private final Object lock = new Object();
    private final StringBuilder out = new StringBuilder();   // guarded by lock
    private final StringBuilder err = new StringBuilder();   // guarded by lock
    private int openStreams = 2;                             // guarded by lock
    private final Thread outReader;
    private final Thread errReader;

    private Subprocess(ProcessBuilder builder) throws IOException {
        this.description = String.join(" ", builder.command());
        this.process = builder.start();
        process.getOutputStream().close();
        this.outReader = Thread.ofPlatform().daemon().start(() -> pump(process.getInputStream(), out));
        this.errReader = Thread.ofPlatform().daemon().start(() -> pump(process.getErrorStream(), err));
    }

    static Subprocess start(ProcessBuilder builder) throws IOException {
        return new Subprocess(builder);
    }

    /** Runs to the end (at most {@code timeout}, then killed and failed). */
    static Subprocess run(ProcessBuilder builder, Duration timeout) throws IOException, InterruptedException {
        Subprocess p = start(builder);
        p.waitFor(timeout);
        return p;
    }

    private void pump(InputStream in, StringBuilder to) {
        char[] buf = new char[8192];
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            for (int n; (n = r.read(buf)) > 0; ) {
                synchronized (lock) {
                    to.append(buf, 0, n);
                    lock.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        } finally {
            synchronized (lock) {
                openStreams--;
                lock.notifyAll();
            }
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until stderr contains a match of {@code p}; false when the process closed stderr (ended) first. */
    boolean awaitStderr(Pattern p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!p.matcher(err).find()) {
                long left = deadline - System.nanoTime();
                if (openStreams == 0 || left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    /** Sends a signal (INT, KILL, ...) with the shell's kill. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("bash", "-c", "kill -s " + name + " " + pid()).inheritIO().start();
        if (kill.waitFor() != 0) fail("kill -s " + name + " " + pid() + " failed");
    }

    /**
     * Whether the process ignores {@code signal} (its number), from Linux's {@code /proc/PID/status}; false where that
     * cannot be read. A process inherits an ignored SIGINT from a parent started in the background of a shell.
     */
    boolean ignores(int signal) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid()), "status");
        if (!Files.isReadable(status)) return false;
        List<String> lines;
        try {
            lines = Files.readAllLines(status);
        } catch (IOException gone) {
            return false;
        }
        for (String line : lines) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16);
                return (mask & (1L << (signal - 1))) != 0;
            }
        }
        return false;
    }

    /** Waits for the end (killing the process and failing after {@code timeout}); returns the exit code. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            fail("still running after " + timeout + ": " + description + "\nstderr: " + stderr());
        }
        outReader.join(10_000);
        errReader.join(10_000);
        return process.exitValue();
    }

    int exitCode() {
        return process.exitValue();
    }

    String stdout() {
        synchronized (lock) {
            return out.toString();
        }
    }

    String stderr() {
        synchronized (lock) {
            return err.toString();
        }
    }

    /**
     * The stderr lines, without blank lines. The JVM's notice that the incubator Vector API module is in use is not
     * filtered here: the launcher drops it, and the tests check that it does.
     */
    List<String> programStderrLines() {
        return stderr().lines().filter(l -> !l.isBlank()).toList();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
