package k210studio.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import k210studio.converter.compile.K210Compiler;
import k210studio.ir.project.Project;
import k210studio.ir.rules.Target;
import k210studio.ir.samples.SampleNetworks;
import k210studio.kpu.image.RgbImage;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/** The simulation engine without UI: project compiled in memory vs float, and a kmodel opened on its own. */
class SimulatorTest {

    @Test
    void theBriefSampleOnFaceJpgMatchesFloatLayerByLayerAndAgreesOnTheClass() throws Exception {
        Project p = SampleNetworks.briefTwoClassProject();
        RgbImage img = Simulator.readImage("images/face.jpg");
        K210Compiler.Result c = Simulator.compile(p, Target.V3, List.of(), null);
        SimulationResult r = Simulator.runProject(p, Target.V3, c, "face.jpg", img, PostProcessing.classifier(p.settings().labels()));
        assertThat(r.note()).isNull();
        assertThat(r.layers()).hasSize(c.program().steps().size());
        // the layers matched to IR layers and compared: the KPU convs track float closely
        List<LayerRow> compared = r.layers().stream().filter(LayerRow::compared).toList();
        assertThat(compared).isNotEmpty();
        assertThat(compared.stream().filter(l -> l.unit().equals("KPU")).toList()).allSatisfy(l -> {
            assertThat(l.layer()).isNotNull();
            assertThat(l.cosine()).as(l.layer()).isGreaterThan(0.95);
        });
        assertThat(r.layers().get(0).verdict()).isEqualTo("KPU");
        assertThat(r.totalCycles()).isEqualTo(r.layers().stream().mapToLong(LayerRow::cycles).sum()).isPositive();
        assertThat(r.floatAnswer().top()).hasSize(2);
        assertThat(r.k210Answer().top()).hasSize(2);
        assertThat(r.k210Answer().top().get(0).label()).isEqualTo(r.floatAnswer().top().get(0).label());
        assertThat(r.k210Answer().top().get(0).score()).isCloseTo(r.floatAnswer().top().get(0).score(), org.assertj.core.data.Offset.offset(0.1f));
    }

    @Test
    void theV3FaceDetectorKmodelFindsTheFaceWithTheDemoAnchors() throws Exception {
        Kmodel m = KmodelFiles.read(SharedFixtures.fixture("kmodel/v3/face_detect_yolov2_320x240.kmodel"));
        PostProcessing pp = PostProcessing.guess(m, List.of());
        assertThat(pp.kind()).isEqualTo(PostProcessing.Kind.YOLO2);
        RgbImage img = Simulator.readImage("images/face.jpg");
        SimulationResult r = Simulator.runKmodel(m, "face.jpg", img, pp.withThresholds(0.7f, 0.3f));
        assertThat(r.floatAnswer()).isNull();
        assertThat(r.k210Answer().error()).isNull();
        assertThat(r.k210Answer().boxes()).isNotEmpty();
        assertThat(r.layers()).hasSize(m.layerCount());
        assertThat(r.layers().get(0).k210()).isNotNull();
    }

    @Test
    void anchorsParseAsPairsAndBadOnesAreNamed() {
        assertThat(PostProcessing.parseAnchors("1, 2,3 4")).containsExactly(1, 2, 3, 4);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PostProcessing.parseAnchors("1,2,3"))
                .hasMessageContaining("pairs");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PostProcessing.parseAnchors("1,x"))
                .hasMessageContaining("'x'");
    }

    @Test
    void v4CompileMapsNodesToLayersAndComparesTheValuesTheRuntimeKeeps() throws Exception {
        Project p = SampleNetworks.briefTwoClassProject();
        RgbImage img = Simulator.readImage("images/cat.bmp");
        K210Compiler.Result c = Simulator.compile(p, Target.V4, List.of(), null);
        SimulationResult r = Simulator.runProject(p, Target.V4, c, "cat.bmp", img, PostProcessing.classifier(p.settings().labels()));
        assertThat(r.note()).isNull();
        assertThat(r.layers()).hasSize(c.model().layerCount()).allSatisfy(l -> assertThat(l.layer()).isNotNull());
        // the last node (softmax, float) is compared with the float softmax
        LayerRow last = r.layers().get(r.layers().size() - 1);
        assertThat(last.compared()).isTrue();
        assertThat(last.cosine()).isGreaterThan(0.99);
        assertThat(r.k210Answer().top().get(0).index()).isEqualTo(r.floatAnswer().top().get(0).index());
    }

    @Test
    void theV4UltraLightFaceKmodelIsRecognisedAndFindsTheFace() throws Exception {
        Kmodel m = KmodelFiles.read(SharedFixtures.fixture("kmodel/v4/nncase-v0.2.0-beta2_ulffd_ultra_face_3x240x320.kmodel"));
        PostProcessing pp = PostProcessing.guess(m, List.of());
        assertThat(pp.kind()).isEqualTo(PostProcessing.Kind.ULTRA_FACE);
        SimulationResult r = Simulator.runKmodel(m, "face.jpg", Simulator.readImage("images/face.jpg"), pp);
        assertThat(r.k210Answer().error()).isNull();
        assertThat(r.k210Answer().boxes()).isNotEmpty().allSatisfy(d -> assertThat(d.label()).isEqualTo("face"));
    }

    @Test
    void aYoloDecoderOnAClassifierOutputIsAnAnswerErrorNotACrash() throws Exception {
        Kmodel m = KmodelFiles.read(SharedFixtures.fixture("kmodel/v3/face_detect_yolov2_320x240.kmodel"));
        PostProcessing pp = PostProcessing.guess(m, List.of()).withAnchors(new float[] {1, 1, 2, 2, 3, 3, 4, 4}); // 4 anchors do not divide 30 channels
        SimulationResult r = Simulator.runKmodel(m, "face.jpg", Simulator.readImage("images/face.jpg"), pp);
        assertThat(r.k210Answer().error()).contains("anchors");
    }

    @Test
    void projectPreprocessingBecomesPixelUnitsWithoutFloatRoundOff() {
        var unit = Simulator.normalization(k210studio.ir.project.Preprocessing.unit(), 3);
        assertThat(unit.mean()).isEqualTo(0f);
        assertThat(unit.std()).isEqualTo(255f);
        // MobileNet style: x/127.5 - 1 → (p - 127.5) / 127.5
        var mb = Simulator.normalization(SampleNetworks.mobileNetStyleProject().settings().preprocessing(), 3);
        assertThat(mb.mean()).isEqualTo(127.5f);
        assertThat(mb.std()).isEqualTo(127.5f);
        assertThat(mb.warning()).isNull();
    }
}
