package k210studio.converter.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The headless K210 Studio command line ({@code ./k210}). Each subcommand is a thin class over
 * the same code the studio uses. Exit codes: 0 success, 1 "the model does not pass" (lint, compile),
 * 2 bad usage or unreadable input.
 */
@Command(name = "k210", mixinStandardHelpOptions = true, version = "K210 Studio 0.1.0",
        description = "K210 Studio command line: check, compile, inspect, run, benchmark and train K210 models.",
        subcommands = {
            CommandLine.HelpCommand.class,
            LintCommand.class,
            DumpCommand.class,
            RunCommand.class,
            BenchCommand.class,
            CompileCommand.class,
            CompareCommand.class,
            EvalCommand.class,
            ExportKerasCommand.class,
            TrainCommand.class,
        })
public final class K210Cli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (used by tests). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new K210Cli());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return 2;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
