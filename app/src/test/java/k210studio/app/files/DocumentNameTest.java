package k210studio.app.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import k210studio.ir.project.ProjectSettings;
import org.junit.jupiter.api.Test;

/** The document's one name and the file names Save writes: exactly one .k210proj, never doubled. */
class DocumentNameTest {
    private final Path dir = Path.of("/tmp/projects");

    @Test
    void aSavedFileKeepsExactlyOneExtension() {
        assertThat(DocumentName.projectFile(dir.resolve("rt.k210proj"))).isEqualTo(dir.resolve("rt.k210proj"));
        assertThat(DocumentName.projectFile(dir.resolve("rt"))).isEqualTo(dir.resolve("rt.k210proj"));
        assertThat(DocumentName.projectFile(dir.resolve("rt.k210proj.k210proj"))).isEqualTo(dir.resolve("rt.k210proj"));
        assertThat(DocumentName.projectFile(dir.resolve("RT.K210PROJ"))).isEqualTo(dir.resolve("RT.K210PROJ"));
        assertThat(DocumentName.projectFile(dir.resolve("face.v2"))).isEqualTo(dir.resolve("face.v2.k210proj"));
        assertThat(DocumentName.projectFile(dir.resolve(".k210proj"))).isEqualTo(dir.resolve(".k210proj.k210proj"));
    }

    @Test
    void theNameIsTheFilesOnceSavedElseTheProjects() {
        ProjectSettings s = ProjectSettings.defaults("Brief two-class network");
        assertThat(DocumentName.of(null, s)).isEqualTo("Brief two-class network");
        assertThat(DocumentName.of(dir.resolve("rt.k210proj"), s)).isEqualTo("rt.k210proj");
        assertThat(DocumentName.suggestedFile(null, s)).isEqualTo("Brief_two-class_network.k210proj");
        assertThat(DocumentName.suggestedFile(dir.resolve("rt.k210proj"), s)).isEqualTo("rt.k210proj");
        assertThat(DocumentName.suggestedFile(dir.resolve("rt.k210proj.k210proj"), s)).isEqualTo("rt.k210proj");
        assertThat(DocumentName.suggestedFile(dir.resolve("model.tflite"), s)).isEqualTo("model.k210proj");
    }
}
