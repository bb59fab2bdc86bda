package k210studio.assets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectFile;
import k210studio.ir.samples.SampleNetworks;
import org.junit.jupiter.api.Test;

/**
 * The shipped sample projects are exactly what {@link SampleNetworks} builds. To regenerate them after a
 * builder change run this test with {@code -Dk210.writeSamples=true} (it rewrites
 * {@code src/main/resources/k210studio/assets/samples/*.k210proj}, then checks them).
 */
class ShippedSamplesTest {
    static final Path SAMPLES = Paths.get("src/main/resources", Assets.ROOT, "samples");

    @Test
    void shippedSampleProjectsLoadAndEqualTheBuilders() throws Exception {
        if (Boolean.getBoolean("k210.writeSamples")) {
            Files.createDirectories(SAMPLES);
            for (String name : SampleNetworks.NAMES) {
                ProjectFile.save(SampleNetworks.project(name), SAMPLES.resolve(name + ProjectFile.EXTENSION));
            }
        }
        assertThat(Assets.samples()).hasSize(SampleNetworks.NAMES.size());
        for (String name : SampleNetworks.NAMES) {
            String asset = "samples/" + name + ProjectFile.EXTENSION;
            assertThat(Assets.samples()).contains(asset);
            Project shipped;
            try (InputStream in = Assets.open(asset)) {
                shipped = ProjectFile.read(in, asset);
            }
            assertThat(shipped).as(asset).isEqualTo(SampleNetworks.project(name));
            // and the file bytes are what saving gives today (fixed entry times: regeneration is reproducible)
            try (InputStream in = Assets.open(asset)) {
                assertThat(in.readAllBytes()).as(asset + " bytes").isEqualTo(ProjectFile.toBytes(SampleNetworks.project(name)));
            }
        }
    }

    @Test
    void sampleSettingsPointAtShippedLabelsAndImages() throws Exception {
        for (String name : SampleNetworks.NAMES) {
            Project p = SampleNetworks.project(name);
            for (String img : p.settings().sampleImages()) {
                assertThat(Assets.images()).as(name).contains(img);
            }
        }
        assertThat(SampleNetworks.project("brief_two_class").settings().labels()).isEqualTo(Assets.lines("labels/two_class.txt"));
        assertThat(SampleNetworks.project("mobilenet_style").settings().labels()).isEqualTo(Assets.lines("labels/voc20.txt"));
    }
}
