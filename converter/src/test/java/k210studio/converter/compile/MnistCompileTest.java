package k210studio.converter.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.tflite.TfliteImporter;
import k210studio.ir.graph.Graph;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.image.ImageResize;
import k210studio.kpu.image.ModelImageInput;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TinyMaix's float mnist_dw (conv, depthwise conv, global pooling, dense, softmax on 28×28×1) compiled by us and run
 * bit-exactly in kpu-sim gives the same label as the float model on all ten digit images (issue [5/8]); the digits
 * are also the calibration set (pixels / 255, as the model was trained).
 */
class MnistCompileTest {

    @ParameterizedTest
    @EnumSource(QuantRules.class)
    void quantizedLabelsEqualFloatLabels(QuantRules target) throws Exception {
        Graph g = TfliteImporter.importFile(SharedFixtures.fixture("tflite/tinymaix_mnist_dw_float.tflite")).graph();
        TensorShape in = ((k210studio.ir.layer.Input) g.layer(g.inputIds().get(0)).params()).shape();
        List<byte[]> pixels = new ArrayList<>();
        List<Tensor> samples = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            Path f = SharedFixtures.fixture("images/digits/digit_" + d + ".png");
            byte[] p = ModelImageInput.planar(ImageFiles.read(f), in.w(), in.h(), in.c(), ImageResize.Method.BILINEAR, false);
            pixels.add(p);
            samples.add(CalibrationDataset.fromPlanar(p, in.h(), in.w(), in.c(), 0f, 255f));
        }
        CompileOptions opt = CompileOptions.defaults(target).withPreprocessing(0f, 255f);
        K210Compiler.Result r = K210Compiler.compile(g, samples, opt, null);
        Kmodel m = r.model();
        StringBuilder labels = new StringBuilder();
        for (int d = 0; d < 10; d++) {
            float[] ref = FloatEvaluator.evaluate(g, java.util.Map.of(g.inputIds().get(0), samples.get(d)), false).output().data();
            KmodelTensor input = m.inputs().get(0).type() == k210studio.kpu.kmodel.ElementType.UINT8
                    ? KmodelTensor.ofUint8(new int[] {in.c(), in.h(), in.w()}, pixels.get(d))
                    : KmodelTensor.ofFloats(new int[] {in.h(), in.w(), in.c()}, samples.get(d).data());
            float[] k210 = m.run(input, RunOptions.defaults()).output(0).toFloatArray();
            assertThat(argmax(k210)).as("digit_%d: K210 %s vs float", d, target).isEqualTo(argmax(ref));
            labels.append(argmax(k210));
        }
        System.out.println("mnist_dw " + target + " labels per digit_0..9: " + labels);
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
