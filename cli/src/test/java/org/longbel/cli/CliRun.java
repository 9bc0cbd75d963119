package org.longbel.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/**
 * One in-process run of the {@code longbel} command tree with stdout and stderr captured.
 *
 * @param exitCode the exit code
 * @param out      what went to stdout
 * @param err      what went to stderr
 */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The shared fixtures directory (system property {@code longbel.fixtures}, else ../../shared/fixtures). */
    static Path fixtures() {
        String prop = System.getProperty("longbel.fixtures");
        return (prop == null ? Path.of("../../shared/fixtures") : Path.of(prop)).toAbsolutePath().normalize();
    }
}
