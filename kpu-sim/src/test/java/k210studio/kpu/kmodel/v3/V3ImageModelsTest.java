package k210studio.kpu.kmodel.v3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.image.ImageResize;
import k210studio.kpu.image.ModelImageInput;
import k210studio.kpu.image.RgbImage;
import k210studio.kpu.kmodel.ExecutionUnit;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.LayerTrace;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import k210studio.kpu.kmodel.TensorDescription;
import k210studio.kpu.post.Detection;
import k210studio.kpu.post.RegionLayer;
import k210studio.kpu.post.Scored;
import k210studio.kpu.post.TopN;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/** The real conv models run end to end on the KPU simulator with real images (RC5 rules). */
class V3ImageModelsTest {

    static KmodelTensor imageInput(V3Model m, String image, boolean invert) throws Exception {
        TensorDescription in = m.inputs().get(0);
        int c = in.shape().get(0);
        int h = in.shape().get(1);
        int w = in.shape().get(2);
        RgbImage img = ImageFiles.read(SharedFixtures.fixture(image));
        byte[] planar = ModelImageInput.planar(img, w, h, c, ImageResize.Method.BILINEAR, invert);
        return KmodelTensor.ofUint8(new int[] {c, h, w}, planar);
    }

    static RunResult run(String model, String image) throws Exception {
        V3Model m = V3Fixtures.model(model);
        return m.run(imageInput(m, image, false), RunOptions.defaults());
    }

    @Test
    void mnistDigitsAreRecognised() throws Exception {
        V3Model m = V3Fixtures.model("mnist_maixpy.kmodel");
        var rt = m.newRuntime(RunOptions.defaults());
        List<Integer> labels = new ArrayList<>();
        for (int d = 0; d <= 9; d++) {
            RunResult r = rt.run(imageInput(m, "images/digits/digit_" + d + ".png", false));
            float[] p = r.output(0).toFloatArray();
            labels.add(TopN.of(p, 1, null).get(0).index());
            float sum = 0;
            for (float v : p) {
                sum += v;
            }
            assertThat(sum).isBetween(0.99f, 1.01f);
        }
        System.out.println("mnist labels for digit_0..9: " + labels);
        assertThat(labels).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    /**
     * The fixture digits are already white on black (MNIST style). MaixPy's fmap.py inverts camera
     * pictures of dark ink on paper; doing that here destroys the result, so no inversion is right.
     */
    @Test
    void mnistWantsWhiteOnBlackSoTheFixtureDigitsMustNotBeInverted() throws Exception {
        V3Model m = V3Fixtures.model("mnist_maixpy.kmodel");
        var rt = m.newRuntime(RunOptions.defaults());
        int correct = 0;
        for (int d = 0; d <= 9; d++) {
            RunResult r = rt.run(imageInput(m, "images/digits/digit_" + d + ".png", true));
            if (TopN.of(r.output(0).toFloatArray(), 1, null).get(0).index() == d) {
                correct++;
            }
        }
        assertThat(correct).isLessThanOrEqualTo(2);
    }

    @Test
    void v3DefaultsToRc5AndBeta4CanBeChosen() throws Exception {
        V3Model m = V3Fixtures.model("mnist_maixpy.kmodel");
        V3Runtime rc5 = (V3Runtime) m.newRuntime(RunOptions.defaults());
        assertThat(rc5.rules()).isEqualTo(k210studio.kpu.kmodel.KpuRules.RC5);
        V3Runtime beta4 = (V3Runtime) m.newRuntime(RunOptions.defaults().withRules(k210studio.kpu.kmodel.KpuRules.BETA4));
        assertThat(beta4.rules()).isEqualTo(k210studio.kpu.kmodel.KpuRules.BETA4);
        KmodelTensor seven = imageInput(m, "images/digits/digit_7.png", false);
        float[] a = rc5.run(seven).output(0).toFloatArray();
        float[] b = beta4.run(seven).output(0).toFloatArray();
        assertThat(TopN.of(a, 1, null).get(0).index()).isEqualTo(7);
        assertThat(TopN.of(b, 1, null).get(0).index()).isEqualTo(7);
    }

    @Test
    void traceRecordsEveryLayerWithUnitCyclesAndSnapshots() throws Exception {
        V3Model m = V3Fixtures.model("mnist_maixpy.kmodel");
        RunResult r = m.run(imageInput(m, "images/digits/digit_3.png", false), RunOptions.defaults().withTraceOutputs(true));
        assertThat(r.layers()).hasSize(11);
        LayerTrace conv0 = r.layers().get(0);
        assertThat(conv0.unit()).isEqualTo(ExecutionUnit.KPU);
        assertThat(conv0.output().shape()).containsExactly(16, 14, 14);
        assertThat(conv0.estimatedCycles()).isPositive();
        // after conv 0 the live KPU map is its 14x14x16 output: 4 channels per line, 14 rows -> 4 x 14 lines
        assertThat(conv0.kpuRamBytes()).isEqualTo(4 * 14 * 64);
        LayerTrace flatten = r.layers().get(3);
        assertThat(flatten.unit()).isEqualTo(ExecutionUnit.CPU);
        assertThat(flatten.output().shape()).containsExactly(1568);
        assertThat(r.layers().get(10).output().toFloatArray()).containsExactly(r.output(0).toFloatArray());
    }

    @Test
    void mobilenetSeesACat() throws Exception {
        RunResult r = run("mobilenet_v1_0.75_1000cls.kmodel", "images/cat.bmp");
        List<Scored> top = TopN.of(r.output(0).toFloatArray(), 5, null);
        System.out.println("mobilenet cat.bmp top5: " + top);
        assertThat(top.subList(0, 3)).anyMatch(s -> s.index() >= 281 && s.index() <= 285);
        assertThat(r.layers().get(0).unit()).isEqualTo(ExecutionUnit.KPU);
        assertThat(r.layers().get(0).estimatedCycles()).isPositive();
        assertThat(r.layers().get(0).kpuRamBytes()).isPositive();
    }

    @Test
    void faceDetectorFindsBothFaces() throws Exception {
        RunResult r = run("face_detect_yolov2_320x240.kmodel", "images/face.jpg");
        KmodelTensor out = r.output(0);
        RegionLayer rl = new RegionLayer(new float[] {1.889f, 2.5245f, 2.9465f, 3.94056f, 3.99987f, 5.3658f,
            5.155437f, 6.92275f, 6.718375f, 9.01025f}, 0.7f, 0.3f);
        List<Detection> boxes = rl.decode(out.toFloatArray(), out.dim(2), out.dim(1), out.dim(0), 512, 355, null);
        System.out.println("face boxes (512x355): " + boxes);
        // face.jpg shows two people side by side: exactly two boxes survive the NMS, one per face,
        // side by side and not overlapping
        assertThat(boxes).hasSize(2);
        Detection a = boxes.get(0).centerX() < boxes.get(1).centerX() ? boxes.get(0) : boxes.get(1);
        Detection b = a == boxes.get(0) ? boxes.get(1) : boxes.get(0);
        assertThat(b.centerX() - a.centerX()).isGreaterThan(100);
        assertThat(a.contains(b.centerX(), b.centerY())).isFalse();
        assertThat(b.contains(a.centerX(), a.centerY())).isFalse();
    }

    @Test
    void yolo20FindsDogBicycleAndCar() throws Exception {
        RunResult r = run("yolo20_voc_nncase_rc5.kmodel", "kmodel/v3/yolo20_voc_nncase_rc5.input_dog_320x240.bmp");
        KmodelTensor out = r.output(0);
        List<String> voc = List.of("aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair",
                "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train",
                "tvmonitor");
        RegionLayer rl = new RegionLayer(new float[] {1.08f, 1.19f, 3.42f, 4.41f, 6.63f, 11.38f, 9.42f, 5.11f,
            16.62f, 10.52f}, 0.5f, 0.2f);
        List<Detection> boxes = rl.decode(out.toFloatArray(), out.dim(2), out.dim(1), out.dim(0), 320, 240, voc);
        System.out.println("yolo20 boxes (320x240): " + boxes);
        assertThat(boxes).extracting(Detection::label).contains("dog", "bicycle", "car");
    }
}
