package k210studio.converter.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every {@code ./k210} subcommand shares: the picocli spec it runs in, the two streams it prints on and the
 * {@code error: ...} line of bad usage or unreadable input (exit code 2). A subcommand declares only its own options.
 */
abstract class CliCommand implements Callable<Integer> {
    /** Exit code of bad usage or unreadable input. */
    static final int BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    /** Standard output of this run (the tests capture it). */
    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Standard error of this run. */
    final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints {@code error: message} on stderr and returns {@link #BAD_INPUT}. */
    final int badInput(String message) {
        err().println("error: " + message);
        return BAD_INPUT;
    }
}
