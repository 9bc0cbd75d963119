package org.longbel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code longbel} command-line tool. Subcommands are registered in {@link #commandLine()},
 * which also installs the shared {@link ErrorHandler}; each subcommand mixes in {@link CommonOptions}.
 */
@Command(name = "longbel", mixinStandardHelpOptions = true, version = "longbel 0.1.0",
        description = "LongBEL biomedical entity linking on the JVM.")
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
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
