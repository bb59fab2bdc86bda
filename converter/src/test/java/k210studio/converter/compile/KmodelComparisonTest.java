package k210studio.converter.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import k210studio.converter.eval.EvaluationResult;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.tflite.TfliteImporter;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.Input;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.image.ImageResize;
import k210studio.kpu.image.ModelImageInput;
import k210studio.kpu.image.RgbImage;
import k210studio.kpu.kmodel.ExecutionUnit;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The per-layer float vs K210 comparison ({@code k210 compare}, the Simulate layer table) lays each kmodel tensor
 * (NCHW) over the right float tensor (NHWC) with the right shape. On correctly compiled models every row that has a
 * float counterpart shows a cosine of at least 0.99: before this, nncase's model_5 kmodel showed -0.0048 on its
 * output (flat V4 output compared in CHW order with NHWC floats) and two of its 20 rows matched, at 0.01 and 0.02.
 */
class KmodelComparisonTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"face.jpg", "cat.bmp"})
    @DisplayName("nncase's model_5 kmodel: every node (pads, uploads, odd-grid KPU convs with their crops) is matched, all ≥ 0.99")
    void nncaseModel5EveryRowMatches(String image) throws Exception {
        Graph g = TfliteImporter.importFile(SharedFixtures.fixture("tflite/nncase_model_5.tflite")).graph();
        Kmodel km = KmodelFiles.read(SharedFixtures.fixture("pairs/nncase_model5.ncc-dev-69932ea.kmodel"));
        Run run = run(g, km, image, 0f, 255f);
        KmodelComparison c = KmodelComparison.of(g, run.ref(), run.result(), km);
        print("nncase model_5 " + image, c);
        // as the CLI runs it, with the prepared graph's tensors as candidates too: the same rows
        Graph prepared = GraphPreparer.prepare(g);
        Run both = run(prepared, km, image, 0f, 255f);
        KmodelComparison c2 = KmodelComparison.of(List.of(g, prepared), List.of(run.ref(), both.ref()), run.result(), km);
        assertThat(c2.layers()).extracting(KmodelComparison.LayerMatch::floatLayer)
                .containsExactlyElementsOf(c.layers().stream().map(KmodelComparison.LayerMatch::floatLayer).toList());
        assertThat(c.layers()).hasSize(20);
        assertThat(c.layers()).allSatisfy(l -> {
            assertThat(l.floatLayer()).as("row %d %s", l.index(), l.type()).isNotNull();
            assertThat(l.stats().cosine()).as("row %d %s → %s", l.index(), l.type(), l.floatLayer()).isGreaterThanOrEqualTo(0.99);
        });
        // each upload shows the tensor the pad before it wrote; the KPU convs the five convolutions in order
        assertThat(c.layers().get(1).floatLayer()).isEqualTo("data");
        assertThat(c.layers().get(5).floatLayer()).isEqualTo("model_5/relu_conv1/Relu");
        assertThat(c.layers().get(16).floatLayer()).isEqualTo("model_5/relu_conv4/Relu");
        assertThat(c.layers().stream().filter(l -> l.unit().equals("KPU")).map(KmodelComparison.LayerMatch::floatLayer))
                .containsExactly("model_5/relu_conv1/Relu", "model_5/relu_conv2/Relu", "model_5/relu_conv3/Relu",
                        "model_5/relu_conv4/Relu", "model_5/relu_conv5/Relu", "Identity");
        // the KPU conv before a crop holds its float tensor as a window (121×160 holds 119×159)
        assertThat(c.layers().get(2).shape()).containsExactly(64, 121, 160);
        assertThat(c.layers().get(2).window().whole()).isFalse();
        assertThat(c.outputs().get(0).stats().cosine()).isGreaterThanOrEqualTo(0.99);
    }

    /**
     * nncase's ulffd_landmark kmodel (99 nodes: KPU convs, concats of dequantized maps, quantize + quantized_binary
     * ReLU after a concat, re-uploads of a concat for each head, transposes to NHWC, memory copies): every node is
     * matched — the BatchNormalization outputs nncase concatenates before its ReLU against the imported graph's
     * tensors, the fused convs against the prepared graph's, each re-upload against the tensor the node before wrote —
     * and every row shows ≥ 0.97 (nncase's own calibration set is not published; the weakest rows, the conv2d_17 head
     * and conv_dw_12, are its quantization), every output ≥ 0.99.
     */
    @Test
    void nncaseUlffdEveryNodeMatches() throws Exception {
        Graph g = TfliteImporter.importFile(SharedFixtures.fixture("tflite/nncase_ulffd_landmark.tflite")).graph();
        Graph prepared = GraphPreparer.prepare(g);
        Kmodel km = KmodelFiles.read(SharedFixtures.fixture("kmodel/v4/nncase-v0.2.0-beta4_ulffd_landmark_3x240x320.kmodel"));
        Run run = run(g, km, "face.jpg", 127.5f, 255f);
        Run prep = run(prepared, km, "face.jpg", 127.5f, 255f);
        KmodelComparison c = KmodelComparison.of(List.of(g, prepared), List.of(run.ref(), prep.ref()), run.result(), km);
        print("nncase ulffd face.jpg", c);
        assertThat(c.layers()).hasSize(99).allSatisfy(l -> {
            assertThat(l.floatLayer()).as("row %d %s: %s", l.index(), l.type(), l.note()).isNotNull();
            assertThat(l.stats().cosine()).as("row %d %s → %s", l.index(), l.type(), l.floatLayer()).isGreaterThanOrEqualTo(0.97);
        });
        assertThat(c.layers().stream().filter(l -> l.stats().cosine() < 0.99).count()).isLessThanOrEqualTo(8);
        assertThat(c.outputs()).hasSize(3).allSatisfy(o -> assertThat(o.stats().cosine()).isGreaterThanOrEqualTo(0.99));
    }

    /**
     * mbnet128 (MobileNet 0.25) is where per-tensor 8-bit quantization visibly costs accuracy: the rows are exact
     * (dequantized with each value's own scale) and agree to ≥ 0.99 up to conv_pw_12 on V4, then conv_pw_13 (the last
     * 1×1 conv, 256 channels of ReLU6) drops to ≈ 0.95 and the classifier head follows (output ≈ 0.987, the same figure
     * Mbnet128CompileTest measures on the outputs alone). V3 quantizes more coarsely and its output layer saturates
     * (issue 12's V3 classifier item, a quantization matter): there the bound is 0.98 and the tail is not bounded
     * beyond "clearly the same tensor".
     */
    @ParameterizedTest(name = "{0} {1} on {2}")
    @CsvSource({
        "tflite/tinymaix_mnist_dw_float.tflite, V3, digits/digit_3.png, 0.99, -, 0.99",
        "tflite/tinymaix_mnist_dw_float.tflite, V4, digits/digit_7.png, 0.99, -, 0.99",
        "tflite/nncase_model_5.tflite, V4, face.jpg, 0.99, -, 0.99",
        "tflite/nncase_ulffd_landmark.tflite, V4, face.jpg, 0.99, -, 0.99",
        "tflite/tinymaix_mbnet128_0.25_float.tflite, V4, grace_hopper.bmp, 0.99, conv_pw_13, 0.95",
        "tflite/tinymaix_mbnet128_0.25_float.tflite, V3, cat.bmp, 0.98, conv_pw_13, 0.7",
    })
    @DisplayName("our compiles: with the compiler's layer map every row with a float counterpart agrees; read back from the bytes, the geometry match agrees too")
    void ownCompilesEveryCounterpartRowAgrees(String model, QuantRules target, String image, double min, String tailFrom,
                                              double tailMin) throws Exception {
        Graph g = TfliteImporter.importFile(SharedFixtures.fixture(model)).graph();
        boolean mnist = model.contains("mnist");
        float mean = model.contains("model_5") || mnist ? 0f : 127.5f;
        float std = model.contains("mbnet") ? 127.5f : 255f; // ulffd: (p − 127.5) / 255, as UlffdV4CompileTest
        TensorShape in = ((Input) g.layer(g.inputIds().get(0)).params()).shape();
        List<Tensor> calib = new ArrayList<>();
        List<String> photos = mnist ? List.of("digits/digit_0.png", "digits/digit_1.png", "digits/digit_3.png", "digits/digit_5.png",
                "digits/digit_7.png", "digits/digit_9.png") : List.of("face.jpg", "cat.bmp", "grace_hopper.bmp");
        for (String f : photos) {
            for (RgbImage v : Mbnet128CompileTest.views(ImageFiles.read(SharedFixtures.fixture("images/" + f)))) {
                calib.add(CalibrationDataset.fromPlanar(planar(v, in), in.h(), in.w(), in.c(), mean, std));
            }
        }
        K210Compiler.Result r = K210Compiler.compile(g, calib, CompileOptions.defaults(target).withPreprocessing(mean, std), null);
        Run run = run(r.prepared(), r.model(), image, mean, std);
        KmodelComparison exact = KmodelComparison.of(r.prepared(), run.ref(), run.result(), r.layers());
        print(model + " " + target + " " + image + " (layer map)", exact);
        boolean[] tail = {false};
        assertThat(exact.layers()).allSatisfy(l -> {
            if (l.floatLayer() != null) {
                tail[0] |= l.floatLayer().startsWith(tailFrom);
                assertThat(l.stats().cosine()).as("row %d %s → %s", l.index(), l.type(), l.floatLayer())
                        .isGreaterThanOrEqualTo(tail[0] ? tailMin : min);
            } else {
                assertThat(l.note()).as("row %d %s says why it has no comparison", l.index(), l.type()).isNotBlank();
            }
        });
        // every KPU layer and every upload is compared, and most rows overall
        long compared = exact.layers().stream().filter(l -> l.floatLayer() != null).count();
        assertThat(exact.layers()).filteredOn(l -> l.unit().equals(ExecutionUnit.KPU.name())
                || l.type().equalsIgnoreCase("kpu_upload") || l.type().equals("K210_UPLOAD"))
                .allSatisfy(l -> assertThat(l.floatLayer()).as("row %d %s: %s", l.index(), l.type(), l.note()).isNotNull());
        assertThat(compared).isGreaterThanOrEqualTo(exact.layers().size() * 3L / 4);
        assertThat(exact.outputs()).allSatisfy(o -> assertThat(o.stats().cosine()).isGreaterThanOrEqualTo(tail[0] ? tailMin : min));

        // the same file read back (no map, as `k210 compare` sees it, on the prepared graph as the CLI evaluates it):
        // each KPU row matched by geometry agrees as well
        Kmodel back = KmodelFiles.read(r.kmodel());
        Run plain = run(r.prepared(), back, image, mean, std);
        KmodelComparison guessed = KmodelComparison.of(r.prepared(), plain.ref(), plain.result(), back);
        print(model + " " + target + " " + image + " (geometry)", guessed);
        boolean[] tail2 = {false};
        assertThat(guessed.layers()).allSatisfy(l -> {
            if (l.floatLayer() != null && l.unit().equals("KPU")) {
                tail2[0] |= l.floatLayer().startsWith(tailFrom);
                assertThat(l.stats().cosine()).as("row %d %s → %s", l.index(), l.type(), l.floatLayer())
                        .isGreaterThanOrEqualTo(tail2[0] ? tailMin : min);
            }
        });
    }

    @Test
    @DisplayName("a uint8 row is compared after dequantizing with its own scale: the exact map shows the same cosine as the fitted affine map to 1e-3")
    void exactDequantizationAgreesWithTheFittedMap() throws Exception {
        Graph g = TfliteImporter.importFile(SharedFixtures.fixture("tflite/nncase_model_5.tflite")).graph();
        List<Tensor> calib = new ArrayList<>();
        TensorShape in = ((Input) g.layer(g.inputIds().get(0)).params()).shape();
        for (String f : List.of("face.jpg", "cat.bmp")) {
            calib.add(CalibrationDataset.fromPlanar(planar(ImageFiles.read(SharedFixtures.fixture("images/" + f)), in), 240, 320, 3, 0f, 255f));
        }
        K210Compiler.Result r = K210Compiler.compile(g, calib, CompileOptions.defaults(QuantRules.V4).withPreprocessing(0f, 255f), null);
        Run run = run(r.prepared(), r.model(), "grace_hopper.bmp", 0f, 255f);
        KmodelComparison exact = KmodelComparison.of(r.prepared(), run.ref(), run.result(), r.layers());
        KmodelComparison fitted = KmodelComparison.of(r.prepared(), run.ref(), run.result(), r.model());
        for (int i = 0; i < exact.layers().size(); i++) {
            KmodelComparison.LayerMatch e = exact.layers().get(i);
            KmodelComparison.LayerMatch f = fitted.layers().get(i);
            if (e.floatLayer() != null && e.floatLayer().equals(f.floatLayer())) {
                assertThat(f.stats().cosine()).as("row %d", i).isCloseTo(e.stats().cosine(), org.assertj.core.data.Offset.offset(1e-3));
            }
        }
    }

    record Run(EvaluationResult ref, RunResult result) {
    }

    static Run run(Graph g, Kmodel km, String image, float mean, float std) throws Exception {
        TensorShape in = ((Input) g.layer(g.inputIds().get(0)).params()).shape();
        byte[] px = planar(ImageFiles.read(SharedFixtures.fixture("images/" + image)), in);
        Tensor x = CalibrationDataset.fromPlanar(px, in.h(), in.w(), in.c(), mean, std);
        EvaluationResult ref = FloatEvaluator.evaluate(g, Map.of(g.inputIds().get(0), x), true);
        KmodelTensor input = km.inputs().get(0).type() == k210studio.kpu.kmodel.ElementType.UINT8
                ? KmodelTensor.ofUint8(new int[] {in.c(), in.h(), in.w()}, px) : KmodelTensor.ofFloats(new int[] {in.h(), in.w(), in.c()}, x.data());
        RunResult res = km.run(input, RunOptions.defaults().withTraceOutputs(true));
        return new Run(ref, res);
    }

    static byte[] planar(RgbImage img, TensorShape in) {
        return ModelImageInput.planar(img, in.w(), in.h(), in.c(), ImageResize.Method.BILINEAR, false);
    }

    static void print(String what, KmodelComparison c) {
        StringBuilder b = new StringBuilder(what).append('\n');
        for (KmodelComparison.LayerMatch l : c.layers()) {
            b.append(String.format(java.util.Locale.ROOT, "  %3d %-16s %-3s %-44s %s%n", l.index(), l.type(), l.unit(),
                    l.floatLayer() == null ? "-" : l.floatLayer(), l.stats() == null ? "(" + l.note() + ")"
                            : String.format(java.util.Locale.ROOT, "%.5f %s", l.stats().cosine(), l.window().whole() ? "" : l.window())));
        }
        for (KmodelComparison.OutputMatch o : c.outputs()) {
            b.append(String.format(java.util.Locale.ROOT, "  output %d cosine %.5f%n", o.index(), o.stats().cosine()));
        }
        System.out.print(b);
    }
}
