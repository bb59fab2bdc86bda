package k210studio.app.files;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import k210studio.app.preprocess.ModelInput;
import k210studio.converter.importing.ModelConventions;
import k210studio.converter.keras.ImportedKerasModel;
import k210studio.converter.keras.KerasImportException;
import k210studio.converter.keras.KerasImporter;
import k210studio.converter.tflite.ImportDiagnostic;
import k210studio.converter.tflite.ImportedModel;
import k210studio.converter.tflite.TfliteFormatException;
import k210studio.converter.tflite.TfliteImporter;
import k210studio.ir.graph.Graph;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectSettings;

/**
 * Turns a model file into a new project through the converter's importers (TFLite, Keras .h5 and
 * .keras). What the importer had to say (operators it could not map, ignored training state)
 * comes back with the project so the studio can show it.
 */
public final class ModelImporter {

    /**
     * An imported model (its settings already holding what the file says about preprocessing and labels), the
     * importer's notes (errors first) and those conventions, so the studio can ask for what is missing.
     */
    public record Result(Project project, List<String> notes, boolean incomplete, ModelConventions conventions) {
    }

    public Result importModel(Path file, FileKind kind) throws ModelImportException {
        String stem = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        switch (kind) {
            case TFLITE:
                return tflite(file, stem);
            case KERAS_H5:
            case KERAS_ZIP:
                return keras(file, stem);
            default:
                throw new ModelImportException(file.getFileName() + " is a " + kind.description() + ", not a model to import");
        }
    }

    private Result tflite(Path file, String stem) throws ModelImportException {
        ImportedModel m;
        try {
            m = TfliteImporter.importFile(file);
        } catch (IOException e) {
            throw new ModelImportException("Cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        } catch (TfliteFormatException e) {
            throw new ModelImportException(file.getFileName() + " is not a TFLite model the studio can read: " + e.getMessage()
                    + "\n\nExport a float .tflite from TensorFlow (the kind nncase takes) and try again.", e);
        }
        List<String> notes = new ArrayList<>();
        for (ImportDiagnostic d : m.diagnostics()) {
            if (d.severity() == ImportDiagnostic.Severity.ERROR) {
                notes.add(0, "✖ " + d.message());
            } else if (d.severity() == ImportDiagnostic.Severity.WARNING) {
                notes.add("⚠ " + d.message());
            }
        }
        return new Result(project(m.graph(), stem, m.conventions()), notes, m.hasErrors(), m.conventions());
    }

    private Result keras(Path file, String stem) throws ModelImportException {
        ImportedKerasModel m;
        try {
            m = KerasImporter.importFile(file);
        } catch (KerasImportException e) {
            throw new ModelImportException(file.getFileName() + ": " + e.getMessage(), e);
        }
        return new Result(project(m.graph(), stem, m.conventions()), m.notes(), false, m.conventions());
    }

    private static Project project(Graph g, String stem, ModelConventions c) {
        return new Project(g, ModelInput.fromFile(ProjectSettings.defaults(stem), c));
    }
}
