package org.longbel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code longbel} command-line tool. Subcommands are registered in {@link #commandLine()}. */
@Command(name = "longbel", mixinStandardHelpOptions = true, version = "longbel 0.1.0",
        description = "LongBEL biomedical entity linking on the JVM.")
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The full command tree (also used by tests). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        return cl;
    }

    @Override
    public void run() {
        commandLine().usage(System.out);
    }
}
