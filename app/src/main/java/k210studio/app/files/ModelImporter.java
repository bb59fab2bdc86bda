package k210studio.app.files;

import java.nio.file.Path;
import k210studio.ir.project.Project;

/** Turns a model file (TFLite, Keras) into a new project through the converter's importers. */
public final class ModelImporter {

    public Project importModel(Path file, FileKind kind) throws ModelImportException {
        throw new ModelImportException("Importing " + kind.description() + " files is not available in this build.");
    }
}
