package org.longbel.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/**
 * What every {@code longbel} subcommand shares, mixed in with {@code @Mixin CommonOptions common;}: the
 * {@code --verbose} option (read by {@link ErrorHandler}) and the command's stdout and stderr.
 */
final class CommonOptions {

    @Option(names = "--verbose", description = "Print the stack trace of an error, and warnings as they happen.")
    boolean verbose;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** The command's standard output (JSON results). */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The command's standard error (progress, warnings, tables). */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
