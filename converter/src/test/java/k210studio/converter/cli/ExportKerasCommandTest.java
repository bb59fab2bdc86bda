package k210studio.converter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import k210studio.converter.keras.KerasImporter;
import k210studio.converter.keras.KerasScriptExporter;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectFile;
import k210studio.ir.samples.SampleNetworks;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code k210 export-keras <project> -o train.py}: writes the exporter's script for a saved project; bad input exits 2 with a message. */
class ExportKerasCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new ExportKerasCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void writesTheTrainingScriptOfASavedProject() throws Exception {
        Project project = SampleNetworks.briefTwoClassProject();
        Path proj = tmp.resolve("brief.k210proj");
        ProjectFile.save(project, proj);
        Path script = tmp.resolve("out/train.py");
        assertThat(run(proj.toString(), "-o", script.toString())).as(err.toString()).isZero();
        assertThat(Files.readString(script)).isEqualTo(KerasScriptExporter.export(ProjectFile.load(proj)));
        assertThat(out.toString()).contains("wrote").contains("--data");
        OrdinaryPermissions.assertOrdinary(script);
    }

    @Test
    void acceptsAKerasModelAndPrintsWithoutOutputFile() {
        assertThat(run(SharedFixtures.fixture("keras/tinymaix_mnist_dw.h5").toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("layers.DepthwiseConv2D((3, 3), strides=(1, 1), padding=\"same\", depth_multiplier=2")
                .contains("keras.Input(shape=(28, 28, 1), name=\"ftr0a_input\")").contains("color_mode=\"grayscale\"");
    }

    @Test
    void alsoWritesTheDesignAsAKerasH5ThatImportsBack() throws Exception {
        Project project = SampleNetworks.mobileNetStyleProject();
        Path proj = tmp.resolve("m.k210proj");
        ProjectFile.save(project, proj);
        Path script = tmp.resolve("train.py");
        Path h5 = tmp.resolve("design.h5");
        assertThat(run(proj.toString(), "-o", script.toString(), "--h5", h5.toString())).as(err.toString()).isZero();
        assertThat(Files.readString(script)).contains("--init").contains("model.load_weights(args.init)");
        Graph back = KerasImporter.importFile(h5).graph();
        Graph design = ProjectFile.load(proj).graph();
        assertThat(back.size()).isEqualTo(design.size());
        for (Layer l : design.layers()) {
            assertThat(back.layerNamed(l.name()).params()).isEqualTo(l.params());
            assertThat(back.layerNamed(l.name()).weights()).isEqualTo(l.weights());
        }
        assertThat(out.toString()).contains("wrote " + h5);
        OrdinaryPermissions.assertOrdinary(h5);
        OrdinaryPermissions.assertOrdinary(script);
    }

    @Test
    void unreadableInputExitsTwoWithTheReason() throws Exception {
        Path bad = tmp.resolve("bad.k210proj");
        Files.write(bad, new byte[] {1, 2, 3});
        assertThat(run(bad.toString(), "-o", tmp.resolve("t.py").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: ");
        assertThat(run(SharedFixtures.fixture("keras/magic_wand_cnn_weights_only.h5").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("holds only weights");
        assertThat(run(tmp.resolve("missing.k210proj").toString())).isEqualTo(2);
        assertThat(Files.exists(tmp.resolve("t.py"))).isFalse();
    }

    @Test
    void isRegisteredInTheK210Cli() {
        assertThat(new CommandLine(new K210Cli()).getSubcommands()).containsKey("export-keras");
    }
}
