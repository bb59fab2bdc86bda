package k210studio.converter.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import k210studio.testing.SharedFixtures;
import picocli.CommandLine;

/** Runs {@code ./k210} in process and keeps what it printed, for the tests of its commands on fixtures. */
abstract class CliTestBase {
    /** What the last {@link #cli} call printed on stdout and stderr. */
    protected String out;
    protected String err;

    /** Runs the command line; returns its exit code. */
    protected int cli(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = new CommandLine(new K210Cli());
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        int code = cl.execute(args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    /** The path of a shared fixture, e.g. {@code kmodel/v3/iris_fc_nncase_rc5.kmodel}. */
    protected static String fx(String rel) {
        return SharedFixtures.fixture(rel).toString();
    }
}
