package org.longbel.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every fuzz target shares: a scratch file per target to hand file-based parsers their input, and the
 * contract check. A parser given any bytes may succeed or throw its own typed exception with a message that
 * names the file; anything else (a {@code NullPointerException}, an index out of bounds, an {@code Error}, a
 * message that does not say which file) escapes and is a finding.
 */
final class FuzzSupport {

    private FuzzSupport() {}

    /** A parser call under test. */
    interface Parse {
        void run() throws Exception;
    }

    /**
     * Writes {@code data} to {@code name} in a scratch directory of this JVM (kept across inputs: tmpfs when the
     * machine has one) and returns its path.
     */
    static Path write(String name, byte[] data) {
        try {
            Path file = scratch().resolve(name);
            Files.write(file, data);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code parse}; returns normally when it succeeds or throws {@code expected} with a one-line message
     * naming {@code source}. Any other outcome is rethrown (a finding).
     */
    static void expect(Class<? extends RuntimeException> expected, String source, Parse parse) throws Exception {
        try {
            parse.run();
        } catch (RuntimeException e) {
            if (!expected.isInstance(e)) throw e;
            String message = e.getMessage();
            if (message == null || message.isBlank()) {
                throw new AssertionError(expected.getSimpleName() + " without a message", e);
            }
            if (!message.contains(source)) {
                throw new AssertionError("message does not name " + source + ": " + message, e);
            }
        }
    }

    private static Path scratchDir;

    private static synchronized Path scratch() throws IOException {
        if (scratchDir == null) {
            Path shm = Path.of("/dev/shm");
            scratchDir = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "longbel-fuzz") : Files.createTempDirectory("longbel-fuzz");
            scratchDir.toFile().deleteOnExit();
        }
        return scratchDir;
    }
}
