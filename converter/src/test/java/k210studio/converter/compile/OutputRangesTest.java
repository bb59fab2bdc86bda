package k210studio.converter.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.quant.ValueRange;
import k210studio.converter.tflite.TfliteImporter;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.Input;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.image.ImageResize;
import k210studio.kpu.image.ModelImageInput;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Output layers are quantized over the whole calibration range plus headroom (issue 12). Before, TinyMaix's mbnet128
 * compiled for V3 and calibrated on one photo read a cat as a three-way tie (281 = 282 = 285, all 0.148) because its
 * logits clipped at the calibration photo's moving-average maximum; the same for V4 at the union maximum.
 */
class OutputRangesTest {
    static final float MEAN = 127.5f;
    static final float STD = 127.5f;
    static final Graph MBNET = load();
    static final TensorShape IN = ((Input) MBNET.layer(MBNET.inputIds().get(0)).params()).shape();

    @ParameterizedTest
    @EnumSource(QuantRules.class)
    void photosOutsideTheCalibrationSetKeepTheirTop1WithoutTies(QuantRules target) throws Exception {
        K210Compiler.Result r = K210Compiler.compile(MBNET, List.of(sample("face.jpg")),
                CompileOptions.defaults(target).withPreprocessing(MEAN, STD), null);
        assertThat(r.report().saturatedOutputs()).isEmpty();
        for (String photo : List.of("cat.bmp", "grace_hopper.bmp", "no_person_96x96.bmp")) {
            byte[] px = planar(photo);
            float[] ref = FloatEvaluator.evaluate(MBNET, Map.of(MBNET.inputIds().get(0), CalibrationDataset.fromPlanar(px, IN.h(), IN.w(), IN.c(), MEAN, STD)),
                    false).output().data();
            float[] k210 = r.model().run(KmodelTensor.ofUint8(new int[] {IN.c(), IN.h(), IN.w()}, px), RunOptions.defaults()).output(0).toFloatArray();
            int top = MnistCompileTest.argmax(k210);
            long ties = java.util.stream.IntStream.range(0, k210.length).filter(i -> k210[i] == k210[top]).count();
            System.out.printf("mbnet128 %s calibrated on face.jpg, %s: float top-1 %d (%.3f), K210 top-1 %d (%.3f), %d at the top%n",
                    target, photo, MnistCompileTest.argmax(ref), ref[MnistCompileTest.argmax(ref)], top, k210[top], ties);
            assertThat(ties).as("%s: classes sharing the top probability", photo).isEqualTo(1);
            assertThat(top).as("%s top-1", photo).isEqualTo(MnistCompileTest.argmax(ref));
        }
    }

    @Test
    void theLogitsAreTheOutputLayerAndTheirRangeCoversEveryCalibrationSampleWithHeadroom() throws Exception {
        List<Tensor> samples = List.of(sample("face.jpg"), sample("cat.bmp"), sample("grace_hopper.bmp"));
        K210Compiler.Result r = K210Compiler.compile(MBNET, samples, CompileOptions.defaults(QuantRules.V3).withPreprocessing(MEAN, STD), null);
        Graph prepared = GraphPreparer.prepare(MBNET);
        List<String> outs = OutputRanges.outputLayers(prepared, r.calibration());
        assertThat(outs).singleElement().satisfies(id -> assertThat(prepared.layer(id).params())
                .isInstanceOf(k210studio.ir.layer.Dense.class));
        String logits = outs.get(0);
        ValueRange seen = r.calibration().observed(logits);
        ValueRange q = r.calibration().output(logits);
        for (ValueRange each : r.calibration().perImage().get(logits)) {
            assertThat(each.max()).isLessThanOrEqualTo(seen.max());
            assertThat(each.min()).isGreaterThanOrEqualTo(seen.min());
        }
        assertThat(q.max()).isEqualTo(seen.max() + OutputRanges.HEADROOM * seen.width());
        assertThat(q.min()).as("the lowest logits may clip: softmax makes them ≈ 0").isEqualTo(seen.min());
    }

    @Test
    void anOutputRangeTooNarrowForTheCalibrationSetIsReportedWithTheFix() throws Exception {
        List<Tensor> samples = List.of(sample("face.jpg"), sample("cat.bmp"));
        Graph prepared = GraphPreparer.prepare(MBNET);
        K210Compiler.Result plain = K210Compiler.compile(MBNET, samples, CompileOptions.defaults(QuantRules.V3).withPreprocessing(MEAN, STD), null);
        String logits = prepared.layer(OutputRanges.outputLayers(prepared, plain.calibration()).get(0)).name();
        K210Compiler.Result narrow = K210Compiler.compile(MBNET, samples, CompileOptions.defaults(QuantRules.V3).withPreprocessing(MEAN, STD)
                .withOutputRange(logits, new ValueRange(-4f, 4f)), null);
        assertThat(narrow.report().saturatedOutputs()).singleElement().satisfies(s -> {
            assertThat(s.layer()).isEqualTo(logits);
            assertThat(s.clipped()).isEqualTo(2);
            assertThat(s.samples()).isEqualTo(2);
            assertThat(s.message()).contains("saturates on 2 of 2 calibration sample(s)", "[-4.000, 4.000]", "Fix:");
        });
    }

    private static Graph load() {
        try {
            return TfliteImporter.importFile(SharedFixtures.fixture("tflite/tinymaix_mbnet128_0.25_float.tflite")).graph();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] planar(String photo) throws Exception {
        return ModelImageInput.planar(ImageFiles.read(SharedFixtures.fixture("images/" + photo)), IN.w(), IN.h(), IN.c(),
                ImageResize.Method.BILINEAR, false);
    }

    private static Tensor sample(String photo) throws Exception {
        return CalibrationDataset.fromPlanar(planar(photo), IN.h(), IN.w(), IN.c(), MEAN, STD);
    }
}
