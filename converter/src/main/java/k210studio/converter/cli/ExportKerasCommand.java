package k210studio.converter.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import k210studio.converter.keras.ImportedKerasModel;
import k210studio.converter.keras.KerasExportException;
import k210studio.converter.keras.KerasImportException;
import k210studio.converter.keras.KerasH5Writer;
import k210studio.converter.keras.KerasImporter;
import k210studio.converter.keras.KerasScriptExporter;
import k210studio.ir.files.AtomicFiles;
import k210studio.ir.project.Preprocessing;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectFile;
import k210studio.ir.project.ProjectFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code k210 export-keras <project> [-o train.py] [--h5 design.h5]}: writes the design as a tf.keras training
 * script (layer for layer, the project's preprocessing and labels, {@code model.fit} on a
 * folder-per-class dataset, saves .h5 and .tflite to import back). A Keras model (.h5/.keras) is
 * accepted too and gets the default preprocessing (pixels / 255). Exit code 0 written, 2 when the
 * input cannot be read or the design cannot be exported.
 */
@Command(name = "export-keras", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a design as a TensorFlow/Keras training script that rebuilds it layer for layer,",
            "trains it on an image folder with the project's preprocessing and saves .h5 and .tflite for re-import.",
            "Exit code: 0 written, 2 unreadable input or a design that cannot be exported."})
public final class ExportKerasCommand extends CliCommand {

    @Parameters(index = "0", paramLabel = "<project>", description = "a .k210proj project (or a Keras .h5/.keras model)")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "train.py", description = "where to write the script (default: print it)")
    Path output;

    @Option(names = "--h5", paramLabel = "design.h5",
            description = "also write the design with its weights as a Keras .h5 (the script starts from it with --init)")
    Path h5;

    @Override
    public Integer call() {
        PrintWriter out = out();
        PrintWriter err = err();
        String script;
        Project project;
        try {
            project = load(file);
            script = KerasScriptExporter.export(project);
        } catch (ProjectFileException | KerasImportException | KerasExportException e) {
            return badInput(e.getMessage());
        } catch (IOException e) {
            return badInput("cannot read " + file + ": " + e.getMessage());
        }
        if (h5 != null) {
            try {
                KerasH5Writer.write(project.graph(), h5);
            } catch (KerasExportException | IOException e) {
                return badInput("cannot write " + h5 + ": " + e.getMessage());
            }
            (output == null ? err : out).println("wrote " + h5 + " (the design and its weights; train from it with --init "
                    + h5.getFileName() + ")");
        }
        if (output == null) {
            out.print(script);
            out.flush();
            return 0;
        }
        try {
            AtomicFiles.write(output, script.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return badInput("cannot write " + output + ": " + e.getMessage());
        }
        out.println("wrote " + output + " (" + script.lines().count() + " lines). Train with: python3 " + output.getFileName()
                + " --data <folder with one sub-folder per class>");
        out.flush();
        return 0;
    }

    static Project load(Path file) throws ProjectFileException, KerasImportException, IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such file");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".h5") || name.endsWith(".hdf5") || name.endsWith(".keras")) {
            ImportedKerasModel m = KerasImporter.importFile(file);
            Project p = Project.of(m.graph());
            return p.withSettings(p.settings().withPreprocessing(Preprocessing.unit()));
        }
        return ProjectFile.load(file);
    }
}
