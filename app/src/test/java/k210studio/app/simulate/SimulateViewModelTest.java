package k210studio.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import k210studio.app.work.Jobs;
import k210studio.assets.Assets;
import k210studio.ir.project.Project;
import k210studio.ir.rules.Target;
import k210studio.ir.samples.SampleNetworks;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Simulate window's view model without a window: its commands run inline, so every figure the panes show can be read back. */
class SimulateViewModelTest {
    private final List<String> errors = new ArrayList<>();

    private SimulateViewModel vm(Project p) {
        SimulateViewModel vm = new SimulateViewModel(() -> p, Jobs.inline());
        vm.setErrorHandler((t, m) -> errors.add(t + ": " + m));
        return vm;
    }

    @Test
    void runningTheSampleFillsAnswersRowsAndStatusAndTheSecondRunReusesTheCompile() {
        Project p = SampleNetworks.briefTwoClassProject();
        SimulateViewModel vm = vm(p);
        List<String> statuses = new ArrayList<>();
        vm.statusProperty().addListener((o, a, b) -> statuses.add(b));
        vm.selectImage("images/face.jpg");
        vm.run();
        assertThat(errors).isEmpty();
        SimulationResult r = vm.resultProperty().get();
        assertThat(r).isNotNull();
        assertThat(vm.rows()).hasSize(r.layers().size()).isNotEmpty();
        assertThat(vm.k210Lines()).hasSize(2).allSatisfy(l -> assertThat(l.style()).isEqualTo(AnswerLines.Style.TOP));
        assertThat(vm.floatLines()).hasSize(2).allSatisfy(l -> assertThat(l.text()).containsAnyOf("positive", "negative"));
        assertThat(vm.statusProperty().get()).startsWith(r.layers().size() + " layers, estimated").contains("compared with float");
        assertThat(statuses).anyMatch(s -> s.startsWith("Compiling for V3"));
        assertThat(vm.runningProperty().get()).isFalse();

        statuses.clear();
        vm.run();
        assertThat(statuses).noneMatch(s -> s.startsWith("Compiling"));
        // selecting the first row gives its three maps and a header naming the layer
        vm.selectedRowProperty().set(vm.rows().get(0));
        LayerMaps m = vm.mapsProperty().get();
        assertThat(m.k210()).isNotNull();
        assertThat(m.reference()).isNotNull();
        assertThat(m.difference().size()).isEqualTo(m.k210().size());
        assertThat(m.title()).startsWith("Layer 0").contains("cosine");
    }

    /**
     * The layer table of a project compiled in memory, for V3 and V4: every row has the IR layer it was emitted for,
     * every KPU layer and upload is laid over its float tensor (kmodel NCHW, float NHWC, padded maps by their window)
     * and every compared row agrees with float to a cosine of at least 0.99; the maps of a row have one geometry.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Target.class)
    void everyLayerRowWithAFloatCounterpartAgreesWithFloat(Target target) {
        assertLayerTableAgrees(SampleNetworks.briefTwoClassProject(), target);
    }

    /** The same for imported TFLite models: mnist_dw (V3 and V4) and nncase's model_5 (V4: CPU pads, uploads, crops). */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.CsvSource({"tinymaix_mnist_dw_float.tflite, V3", "tinymaix_mnist_dw_float.tflite, V4",
        "nncase_model_5.tflite, V4"})
    void importedModelsLayerRowsAgreeWithFloat(String file, Target target) throws Exception {
        Project p = new k210studio.app.files.ModelImporter().importModel(SharedFixtures.fixture("tflite/" + file),
                k210studio.app.files.FileKind.TFLITE).project();
        assertLayerTableAgrees(p, target);
    }

    private void assertLayerTableAgrees(Project p, Target target) {
        SimulateViewModel vm = vm(p);
        vm.targetProperty().set(target);
        vm.selectImage("images/grace_hopper.bmp");
        vm.run();
        assertThat(errors).isEmpty();
        assertThat(vm.resultProperty().get().note()).isNull();
        List<LayerRow> rows = vm.rows();
        StringBuilder table = new StringBuilder(target + " layer table:\n");
        for (LayerRow r : rows) {
            table.append(String.format(java.util.Locale.ROOT, "  %2d %-22s %-4s %-40s %s%n", r.index(), r.type(), r.unit(), r.layer(),
                    r.compared() ? String.format(java.util.Locale.ROOT, "%.5f", r.cosine()) : "-"));
        }
        System.out.print(table);
        assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r.layer()).isNotNull());
        assertThat(rows).filteredOn(r -> r.unit().equals("KPU") || r.type().equalsIgnoreCase("kpu_upload") || r.type().equals("K210_UPLOAD"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.compared()).as("row %d %s", r.index(), r.type()).isTrue());
        assertThat(rows).filteredOn(LayerRow::compared).allSatisfy(r -> {
            assertThat(r.cosine()).as("row %d %s %s", r.index(), r.type(), r.layer()).isGreaterThanOrEqualTo(0.99);
            assertThat(r.k210().sameGeometry(r.reference())).isTrue();
            assertThat(r.compareNote()).startsWith("vs float ");
        });
        assertThat(rows).filteredOn(r -> !r.compared()).allSatisfy(r -> assertThat(r.compareNote()).isNotBlank());
        assertThat(rows.stream().filter(LayerRow::compared).count()).isGreaterThanOrEqualTo(rows.size() * 3L / 4);
    }

    @Test
    void aKmodelOnItsOwnLocksTheTargetGuessesTheDecoderAndListsItsLayers() {
        SimulateViewModel vm = vm(SampleNetworks.briefTwoClassProject());
        vm.openKmodel(SharedFixtures.fixture("kmodel/v3/face_detect_yolov2_320x240.kmodel"));
        assertThat(errors).isEmpty();
        assertThat(vm.modeProperty().get()).startsWith("kmodel V3: face_detect_yolov2_320x240.kmodel");
        assertThat(vm.targetLockedProperty().get()).isTrue();
        assertThat(vm.kindProperty().get()).isEqualTo(PostProcessing.Kind.YOLO2);
        assertThat(vm.labelsChoiceProperty().get()).isEqualTo(SimulateViewModel.NO_LABELS);
        assertThat(vm.rows()).hasSize(24);
        vm.selectedRowProperty().set(vm.rows().get(0));
        assertThat(vm.mapsProperty().get().title()).contains("keeps no output");
        vm.useProject();
        assertThat(vm.targetLockedProperty().get()).isFalse();
        assertThat(vm.targetProperty().get()).isEqualTo(Target.V3);
        assertThat(vm.modeProperty().get()).isEqualTo("Project: " + SampleNetworks.briefTwoClassProject().settings().name());
    }

    @Test
    void badSettingsAndMissingInputsAreMessagesNamingTheCause(@TempDir Path dir) throws Exception {
        SimulateViewModel vm = vm(SampleNetworks.briefTwoClassProject());
        vm.thresholdProperty().set("abc");
        vm.run();
        assertThat(errors).singleElement().asString().contains("threshold 'abc' is not a number");
        errors.clear();
        vm.openFolder(dir);
        assertThat(errors).singleElement().asString().contains("holds no .jpg, .png or .bmp images");
        assertThat(vm.folderOpenProperty().get()).isFalse();
        errors.clear();
        SimulateViewModel none = new SimulateViewModel(() -> null, Jobs.inline());
        none.setErrorHandler((t, m) -> errors.add(t));
        none.run();
        assertThat(errors).containsExactly("Nothing to simulate");
        try (var in = Assets.open("images/cat.bmp")) {
            Files.copy(in, dir.resolve("b.bmp"));
        }
        Files.writeString(dir.resolve("a.txt"), "not an image");
        vm.openFolder(dir);
        assertThat(vm.folderOpenProperty().get()).isTrue();
        assertThat(vm.currentImage()).endsWith("b.bmp");
        assertThat(vm.imageInfoProperty().get()).isEqualTo("b.bmp  512×341");
    }
}
