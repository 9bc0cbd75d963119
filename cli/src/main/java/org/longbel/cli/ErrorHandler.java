package org.longbel.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.CancellationException;

/**
 * The CLI's one error policy, installed in {@link Main#commandLine()}: an exception thrown by a subcommand
 * becomes one line {@code longbel: <message>} on stderr (line breaks in the message folded) (plus the stack trace with {@code --verbose}) and
 * exit code 1, or {@value #CANCELLED} for a {@link CancellationException} (Ctrl-C, as a shell reports SIGINT).
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    /** Exit code of a cancelled run. */
    static final int CANCELLED = 130;

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        err.println("longbel: " + oneLine(e));
        if (verbose(command)) e.printStackTrace(err);
        err.flush();
        return e instanceof CancellationException ? CANCELLED : 1;
    }

    /** The message on one line (a parser's message may quote a multi-line excerpt), or the exception's name. */
    static String oneLine(Throwable e) {
        return message(e).strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * The exception's message; for an {@link UncheckedIOException} made without one of its own (its message is then
     * the cause's class and message), the cause's.
     */
    static String message(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null && u.getCause().getMessage() != null
                && (u.getMessage() == null || u.getMessage().equals(u.getCause().toString()))) {
            return u.getCause().getMessage();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private static boolean verbose(CommandLine command) {
        return command.getCommandSpec().mixins().values().stream()
                .map(CommandSpec::userObject)
                .anyMatch(o -> o instanceof CommonOptions c && c.verbose);
    }
}
