package org.longbel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/**
 * Entry point of the {@code longbel} command-line tool. Subcommands are registered in {@link #commandLine()},
 * which also installs the shared {@link ErrorHandler}; each subcommand mixes in {@link CommonOptions}.
 */
@Command(name = "longbel", mixinStandardHelpOptions = true, version = "longbel 0.1.0",
        description = "LongBEL biomedical entity linking on the JVM.")
public final class Main implements Runnable {

    public static void main(String[] args) {
        int code;
        try {
            code = commandLine().execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // not Exceptions, so they pass the ErrorHandler: still one line, and what to do about it
            if (List.of(args).contains("--verbose")) e.printStackTrace();
            System.err.println("longbel: " + ErrorHandler.oneLine(e) + (e instanceof OutOfMemoryError
                    ? ": the Java heap is too small for this run; give more with LONGBEL_JAVA_OPTS=-Xmx<size> (e.g. -Xmx8g)"
                    : ": the thread stack is too small; give more with LONGBEL_JAVA_OPTS=-Xss<size> (e.g. -Xss64m)"));
            code = 1;
        }
        System.exit(code);
    }

    /** The full command tree (also used by tests). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(new GpuCheckCommand());
        cl.addSubcommand(new InspectCommand());
        cl.addSubcommand(new RandomModelCommand());
        cl.addSubcommand(new LogprobsCommand());
        cl.addSubcommand(new GenerateCommand());
        cl.addSubcommand(new KbCommand());
        cl.addSubcommand(new CorpusCommand());
        cl.addSubcommand(new TokenizeCommand());
        cl.addSubcommand(new DetokenizeCommand());
        cl.addSubcommand(new LinkCommand());
        cl.addSubcommand(new EvalCommand());
        cl.addSubcommand(new DemoCommand());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        return cl;
    }

    @Override
    public void run() {
        commandLine().usage(System.out);
    }
}
