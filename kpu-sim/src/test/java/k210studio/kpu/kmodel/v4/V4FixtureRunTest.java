package k210studio.kpu.kmodel.v4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.image.ImageResize;
import k210studio.kpu.image.ModelImageInput;
import k210studio.kpu.kmodel.ExecutionUnit;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.KpuRules;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import k210studio.kpu.post.Detection;
import k210studio.kpu.post.RegionLayer;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/** The real V4 files run end to end (nncase v0.2.0-beta4 runtime semantics, BETA4 KPU rules). */
class V4FixtureRunTest {
    static final List<String> VOC = List.of("aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat",
            "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa",
            "train", "tvmonitor");
    static final float[] YOLO_ANCHORS = {1.08f, 1.19f, 3.42f, 4.41f, 6.63f, 11.38f, 9.42f, 5.11f, 16.62f, 10.52f};

    /** RGB planar uint8 of an image resized to 320x240, as the K210 DVP / MaixPy pix_ai deliver it. */
    static byte[] image320x240(String fixture) throws Exception {
        return ModelImageInput.planar(ImageFiles.read(SharedFixtures.fixture(fixture)), 320, 240, 3,
                ImageResize.Method.BILINEAR, false);
    }

    static RunResult runImage(String model, String image) throws Exception {
        V4Kmodel m = V4Kmodel.read(V4Fixtures.bytes(model));
        return m.run(KmodelTensor.ofUint8(new int[] {1, 3, 240, 320}, image320x240(image)), RunOptions.defaults());
    }

    @Test
    void irisReproducesTheNncaseExampleOutput() throws Exception {
        // examples/iris: {5.1, 3.8, 1.9, 0.4} -> 16.077795, 5.607656, -2.071745 (setosa)
        Kmodel m = KmodelFiles.read(V4Fixtures.path(V4Fixtures.IRIS));
        assertThat(m).isInstanceOf(V4Kmodel.class);
        assertThat(m.version()).isEqualTo(4);
        RunResult r = m.run(KmodelTensor.ofFloats(new int[] {1, 1, 1, 4}, new float[] {5.1f, 3.8f, 1.9f, 0.4f}),
                RunOptions.defaults().withTraceOutputs(true));
        float[] out = r.output(0).toFloatArray();
        assertThat(out).hasSize(3);
        assertThat(out[0]).isCloseTo(16.077795f, within(1e-4f));
        assertThat(out[1]).isCloseTo(5.607656f, within(1e-4f));
        assertThat(out[2]).isCloseTo(-2.071745f, within(1e-4f));
        assertThat(r.layers()).extracting(t -> t.type()).containsExactly("transpose", "matmul", "transpose", "matmul");
        assertThat(r.layers().get(3).output().toFloatArray()).containsExactly(out);
        assertThat(r.layers()).allMatch(t -> t.unit() == ExecutionUnit.CPU);
        // two matmuls: 1x4 * 4x10 and 1x10 * 10x3
        assertThat(m.multiplyAccumulates()).isEqualTo(4 * 10 + 10 * 3);
    }

    @Test
    void outputShapesAreSetLikeMaixPySetOutputs() throws Exception {
        V4Kmodel m = V4Kmodel.read(V4Fixtures.bytes(V4Fixtures.IRIS)).withOutputShapes(List.of(new int[] {1, 3}));
        assertThat(m.outputs().get(0).shape()).containsExactly(1, 3);
        RunResult r = m.run(KmodelTensor.ofFloats(new int[] {4}, new float[] {5.1f, 3.8f, 1.9f, 0.4f}),
                RunOptions.defaults());
        assertThat(r.output(0).shape()).containsExactly(1, 3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.withOutputShapes(List.of(new int[] {2, 2})))
                .hasMessageContaining("holds 4 elements but the output holds 3");
    }

    static List<Detection> yolo(RunResult r, float threshold) {
        RegionLayer rl = new RegionLayer(YOLO_ANCHORS, threshold, 0.2f);
        return rl.decode(r.output(0).toFloatArray(), 10, 7, 125, 320, 240, VOC);
    }

    /** IoU of two detections (x, y = top-left corner). */
    static float iou(Detection a, Detection b) {
        float w = Math.min(a.x() + a.w(), b.x() + b.w()) - Math.max(a.x(), b.x());
        float h = Math.min(a.y() + a.h(), b.y() + b.h()) - Math.max(a.y(), b.y());
        if (w <= 0 || h <= 0) {
            return 0;
        }
        return w * h / (a.w() * a.h() + b.w() * b.h() - w * h);
    }

    @Test
    void yolo20V4FindsTheSameObjectsAsV3OnTheDogImage() throws Exception {
        String image = "kmodel/v3/yolo20_voc_nncase_rc5.input_dog_320x240.bmp";
        RunResult v4 = runImage(V4Fixtures.YOLO, image);
        assertThat(v4.output(0).elementCount()).isEqualTo(8750);
        List<Detection> v4Boxes = yolo(v4, 0.25f);
        System.out.println("yolo20 V4 (alpha2 build, threshold 0.25): " + v4Boxes);
        Kmodel v3 = KmodelFiles.read(SharedFixtures.fixture("kmodel/v3/yolo20_voc_nncase_rc5.kmodel"));
        RunResult v3r = v3.run(KmodelTensor.ofUint8(new int[] {3, 240, 320}, image320x240(image)), RunOptions.defaults());
        RegionLayer rl3 = new RegionLayer(YOLO_ANCHORS, 0.5f, 0.2f);
        List<Detection> v3Boxes = rl3.decode(v3r.output(0).toFloatArray(), 10, 7, 125, 320, 240, VOC);
        System.out.println("yolo20 V3 (rc5 build, threshold 0.5): " + v3Boxes);
        for (String label : List.of("dog", "bicycle", "car")) {
            Detection a = v4Boxes.stream().filter(d -> d.label().equals(label)).findFirst().orElseThrow(
                    () -> new AssertionError("V4 misses " + label));
            Detection b = v3Boxes.stream().filter(d -> d.label().equals(label)).findFirst().orElseThrow(
                    () -> new AssertionError("V3 misses " + label));
            // two different builds of the network: the same object, boxes of somewhat different extent
            assertThat(iou(a, b)).as("%s V4 %s vs V3 %s", label, a, b).isGreaterThan(0.4f);
            assertThat(b.contains(a.centerX(), a.centerY())).isTrue();
            assertThat(a.contains(b.centerX(), b.centerY())).isTrue();
        }
        // the strong objects pass the example's own 0.5 threshold in V4 as well
        assertThat(yolo(v4, 0.5f)).extracting(Detection::label).contains("bicycle", "car");
        assertThat(v4.layers().stream().filter(t -> t.unit() == ExecutionUnit.KPU).count()).isEqualTo(16);
        V4Kmodel m = V4Kmodel.read(V4Fixtures.bytes(V4Fixtures.YOLO));
        RunResult traced = m.run(KmodelTensor.ofUint8(new int[] {1, 3, 240, 320}, image320x240(image)),
                RunOptions.defaults().withTraceOutputs(true));
        // per-node snapshots: the first KPU conv's pooled map (max 2x2 s2) and the final dequantize
        assertThat(traced.layers().get(0).output().shape()).containsExactly(1, 16, 120, 160);
        // after node 0 only its 16x120x160 output is live in KPU RAM: 16 channels x 120 rows x 3 lines x 64 bytes
        assertThat(traced.layers().get(0).kpuRamBytes()).isEqualTo(16L * 120 * 3 * 64);
        assertThat(traced.layers().get(20).output().toFloatArray()).containsExactly(v4.output(0).toFloatArray());
    }

    @Test
    void ultraFaceFindsBothFacesOfFaceJpg() throws Exception {
        // beta2 build with three CPU quantized_conv2d nodes; outputs: 0 = boxes (4420 x 4), 1 = scores (4420 x 2, softmaxed)
        RunResult r = runImage(V4Fixtures.ULTRA_FACE, "images/face.jpg");
        float[] boxes = r.output(0).toFloatArray();
        float[] scores = r.output(1).toFloatArray();
        float[] face = new float[scores.length / 2];
        for (int i = 0; i < face.length; i++) {
            face[i] = scores[2 * i + 1];
            assertThat(scores[2 * i] + scores[2 * i + 1]).isCloseTo(1f, within(0.02f));
        }
        List<FaceBoxes.Face> faces = FaceBoxes.nms(
                FaceBoxes.decode(FaceBoxes.ultraFacePriors(320, 240), boxes, face, 0.5f, 320, 240), 0.3f);
        System.out.println("ultra_face detections: " + faces);
        assertBothMainFaces(faces, 0.85f);
    }

    @Test
    void ulffdLandmarkFindsBothFacesOfFaceJpg() throws Exception {
        // outputs: 0 = boxes (3160 x 4), 1 = landmarks (3160 x 10), 2 = class logits (3160 x 2)
        RunResult r = runImage(V4Fixtures.LANDMARK, "images/face.jpg");
        float[] face = FaceBoxes.softmaxFaceScores(r.output(2).toFloatArray());
        int above = 0;
        float best = 0;
        for (float s : face) {
            above += s > 0.7f ? 1 : 0;
            best = Math.max(best, s);
        }
        System.out.println("ulffd landmark: " + above + " priors above 0.7, best " + best);
        // the float tflite of the same network gives 37 priors above 0.7 and a best of 0.993 (fixtures README)
        assertThat(above).isBetween(25, 50);
        assertThat(best).isGreaterThan(0.98f);
        List<FaceBoxes.Face> faces = FaceBoxes.nms(
                FaceBoxes.decode(FaceBoxes.landmarkPriors(320, 240), r.output(0).toFloatArray(), face, 0.7f, 320, 240),
                0.4f);
        System.out.println("ulffd landmark detections: " + faces);
        assertBothMainFaces(faces, 0.95f);
        assertThat(r.output(1).elementCount()).isEqualTo(31600);
    }

    /** The two people in the foreground of face.jpg (320x240): faces centred near (188, 74) and (110, 101). */
    static void assertBothMainFaces(List<FaceBoxes.Face> faces, float minScore) {
        List<FaceBoxes.Face> hits = new ArrayList<>();
        for (float[] c : new float[][] {{188, 74}, {110, 101}}) {
            FaceBoxes.Face f = faces.stream().filter(b -> b.x1() < c[0] && c[0] < b.x2() && b.y1() < c[1] && c[1] < b.y2())
                    .findFirst().orElseThrow(() -> new AssertionError("no face around " + c[0] + "," + c[1] + " in " + faces));
            assertThat(f.score()).isGreaterThan(minScore);
            assertThat(f.x2() - f.x1()).isBetween(35f, 90f);
            hits.add(f);
        }
        assertThat(hits.get(0).iou(hits.get(1))).isZero();
    }

    @Test
    void rc5RulesCanBeChosenForComparison() throws Exception {
        V4Kmodel m = V4Kmodel.read(V4Fixtures.bytes(V4Fixtures.YOLO));
        byte[] img = image320x240("kmodel/v3/yolo20_voc_nncase_rc5.input_dog_320x240.bmp");
        RunResult beta4 = m.run(KmodelTensor.ofUint8(new int[] {1, 3, 240, 320}, img), RunOptions.defaults());
        RunResult rc5 = m.run(KmodelTensor.ofUint8(new int[] {1, 3, 240, 320}, img),
                RunOptions.defaults().withRules(KpuRules.RC5));
        // same network, same boxes; the rule sets differ only in rounding details
        assertThat(yolo(rc5, 0.5f)).extracting(Detection::label).containsAll(
                yolo(beta4, 0.5f).stream().map(Detection::label).toList());
    }
}
