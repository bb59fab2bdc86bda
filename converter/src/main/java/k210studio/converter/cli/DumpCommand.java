package k210studio.converter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./k210 dump <file.kmodel> [--json]}: header, every layer with its key fields, outputs, memory. */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Show a kmodel (V3 or V4): header, every layer (type, body size, key fields; for K210_CONV the"
                + " kernel, shapes, KPU addresses, pool type and quantisation arguments), outputs and memory.")
public final class DumpCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "the .kmodel file")
    Path file;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "also print each K210_CONV's raw register words, batch-norm"
            + " entries and activation segments")
    boolean verbose;

    @Override
    public Integer call() {
        Kmodel m;
        try {
            m = KmodelFiles.read(file);
        } catch (IOException e) {
            return badInput("cannot read " + file + ": " + e.getMessage());
        } catch (KmodelFormatException e) {
            return badInput(file + " is not a valid kmodel: " + e.getMessage());
        }
        if (json) {
            ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            try {
                out().println(om.writeValueAsString(KmodelDump.json(m, om, verbose)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        } else {
            out().print(KmodelDump.text(m, file.toString(), verbose));
        }
        out().flush();
        return 0;
    }
}
