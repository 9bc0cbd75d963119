package org.longbel.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's one error policy: one line on stderr, exit 1 (130 when cancelled), the stack trace only with --verbose. */
class ErrorHandlerTest {

    /** A command that fails the way {@code --fail} says. */
    @Command(name = "failing")
    static final class Failing implements Callable<Integer> {
        @Option(names = "--fail")
        String fail = "none";

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() throws IOException {
            return switch (fail) {
                case "io" -> throw new IOException("data.txt: cannot read");
                case "cancel" -> throw new CancellationException("cancelled; out.jsonl was not written");
                case "npe" -> throw new NullPointerException();
                case "unchecked-io" -> throw new UncheckedIOException(new IOException("cannot write out.jsonl: disk full"));
                default -> {
                    JsonOutput.printLine(common.out(), JsonOutput.object().put("ok", true));
                    yield 0;
                }
            };
        }
    }

    private static CliRun run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new Failing());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    @Test
    void successPrintsJsonAndNothingOnStderr() {
        CliRun run = run();
        assertEquals(0, run.exitCode());
        assertEquals("{\"ok\":true}", run.out().strip());
        assertEquals("", run.err());
    }

    @Test
    void anExceptionIsOneLineAndExitOne() {
        CliRun run = run("--fail", "io");
        assertEquals(1, run.exitCode());
        assertEquals("", run.out());
        assertEquals("longbel: data.txt: cannot read", run.err().strip());
    }

    @Test
    void cancellationExitsWith130() {
        CliRun run = run("--fail", "cancel");
        assertEquals(ErrorHandler.CANCELLED, run.exitCode());
        assertEquals(130, run.exitCode());
        assertEquals("longbel: cancelled; out.jsonl was not written", run.err().strip());
    }

    @Test
    void anUncheckedIoExceptionShowsItsCausesMessage() {
        CliRun run = run("--fail", "unchecked-io");
        assertEquals(1, run.exitCode());
        assertEquals("longbel: cannot write out.jsonl: disk full", run.err().strip(), "not 'java.io.IOException: ...'");
    }

    @Test
    void anExceptionWithoutMessageIsNamed() {
        CliRun run = run("--fail", "npe");
        assertEquals(1, run.exitCode());
        assertEquals("longbel: java.lang.NullPointerException", run.err().strip());
    }

    @Test
    void verbosePrintsTheStackTrace() {
        CliRun run = run("--fail", "io", "--verbose");
        assertEquals(1, run.exitCode());
        String[] lines = run.err().strip().split("\\R");
        assertEquals("longbel: data.txt: cannot read", lines[0]);
        assertEquals("java.io.IOException: data.txt: cannot read", lines[1]);
        assertTrue(lines[2].strip().startsWith("at org.longbel.cli.ErrorHandlerTest$Failing.call"), run.err());
    }

    @Test
    void everySubcommandAcceptsVerbose() {
        CommandLine main = Main.commandLine();
        for (CommandLine sub : main.getSubcommands().values()) {
            boolean leaf = sub.getSubcommands().isEmpty();
            if (leaf) assertTrue(sub.getCommandSpec().findOption("--verbose") != null, sub.getCommandName());
            for (CommandLine nested : sub.getSubcommands().values()) {
                assertTrue(nested.getCommandSpec().findOption("--verbose") != null, nested.getCommandName());
            }
        }
    }
}
