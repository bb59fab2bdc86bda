package k210studio.converter.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.tflite.TfliteImporter;
import k210studio.ir.graph.Graph;
import k210studio.ir.tensor.Tensor;
import k210studio.kpu.chip.KpuLayerArgument;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.image.ImageResize;
import k210studio.kpu.image.ModelImageInput;
import k210studio.kpu.image.RgbImage;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.v4.V4Model;
import k210studio.kpu.kmodel.v4.V4Node;
import k210studio.kpu.kmodel.v4.V4Reader;
import k210studio.kpu.kmodel.v4.body.KpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.PadBody;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/**
 * nncase's model_5 (five 3×3 'valid' stride-2 convs and two padded 3×3 convs on 320×240) compiled by us to V4 has
 * the op sequence and KPU geometry of the kmodel nncase 0.2 built from the same file (Pad, KPUUpload, KPUConv2D with
 * right-top down-sampling, crop Pad, ...): same shapes, kernels, pool types and KPU RAM footprints; and on face.jpg and
 * cat.bmp ours agrees with the float model as well as nncase's (cosines equal to 1e-5; issue [5/8]). nncase's calibration set is not
 * published, so quantization constants differ; the test prints by how much.
 */
class Model5V4CompileTest {
    static final float MEAN = 0f;
    static final float STD = 255f;

    @Test
    void sameStructureAndAtLeastAsAccurateAsNncase() throws Exception {
        Graph g = TfliteImporter.importFile(SharedFixtures.fixture("tflite/nncase_model_5.tflite")).graph();
        List<Tensor> calib = new ArrayList<>();
        for (String f : List.of("face.jpg", "cat.bmp", "grace_hopper.bmp")) {
            for (RgbImage v : Mbnet128CompileTest.views(ImageFiles.read(SharedFixtures.fixture("images/" + f)))) {
                calib.add(CalibrationDataset.fromPlanar(planar(v), 240, 320, 3, MEAN, STD));
            }
        }
        K210Compiler.Result r = K210Compiler.compile(g, calib, CompileOptions.defaults(QuantRules.V4).withPreprocessing(MEAN, STD), null);
        V4Model ours = V4Reader.read(r.kmodel());
        V4Model theirs = V4Reader.read(java.nio.file.Files.readAllBytes(SharedFixtures.fixture("pairs/nncase_model5.ncc-dev-69932ea.kmodel")));

        assertThat(opcodes(ours)).isEqualTo(opcodes(theirs));
        List<String> ourGeometry = geometry(ours);
        List<String> theirGeometry = geometry(theirs);
        assertThat(ourGeometry).isEqualTo(theirGeometry);
        System.out.println("model_5 V4 structure (ours = nncase): " + opcodes(ours));
        System.out.println("model_5 KPU/pad geometry: " + ourGeometry);

        int[] outShape = {64, 14, 19};
        for (String f : List.of("face.jpg", "cat.bmp")) {
            byte[] px = planar(ImageFiles.read(SharedFixtures.fixture("images/" + f)));
            Tensor x = CalibrationDataset.fromPlanar(px, 240, 320, 3, MEAN, STD);
            float[] ref = FloatEvaluator.evaluate(g, Map.of(g.inputIds().get(0), x), false).output().data();
            KmodelTensor in = KmodelTensor.ofUint8(new int[] {3, 240, 320}, px);
            float[] mine = KmodelComparison.toHwc(r.model().run(in, RunOptions.defaults()).output(0).toFloatArray(), outShape);
            float[] nn = KmodelComparison.toHwc(KmodelFiles.read(SharedFixtures.fixture("pairs/nncase_model5.ncc-dev-69932ea.kmodel"))
                    .run(in, RunOptions.defaults()).output(0).toFloatArray(), outShape);
            ErrorStats ourStats = ErrorStats.of(ref, mine);
            ErrorStats theirStats = ErrorStats.of(ref, nn);
            System.out.printf("model_5 %s: cosine vs float — ours %.5f (SNR %.2f dB), nncase %.5f (SNR %.2f dB)%n", f,
                    ourStats.cosine(), ourStats.snrDb(), theirStats.cosine(), theirStats.snrDb());
            // as good as nncase: equal to 1e-5 in cosine (both ≈ 0.9998), or better
            assertThat(ourStats.cosine()).as(f).isGreaterThanOrEqualTo(theirStats.cosine() - 1e-5);
        }
        System.out.println("model_5 output dequantize: ours " + lastQuant(ours) + ", nncase " + lastQuant(theirs));
    }

    static byte[] planar(RgbImage img) {
        return ModelImageInput.planar(img, 320, 240, 3, ImageResize.Method.BILINEAR, false);
    }

    static List<String> opcodes(V4Model m) {
        List<String> out = new ArrayList<>();
        for (V4Node n : m.nodes()) {
            out.add(n.opcode().spelling());
        }
        return out;
    }

    /** Per KPU conv: in/out C×H×W, kernel, pool type, depthwise, input and output KPU footprint; per pad: paddings. */
    static List<String> geometry(V4Model m) {
        List<String> out = new ArrayList<>();
        for (V4Node n : m.nodes()) {
            if (n.body() instanceof KpuConv2dBody k) {
                KpuLayerArgument a = KpuLayerArgument.fromWords(k.layer().toArray());
                out.add(String.format("conv %dx%dx%d->%dx%dx%d k%d pool%d dw%s lines %d->%d", a.inputChannels(), a.inputHeight(),
                        a.inputWidth(), a.outputChannels(), a.outputHeight(), a.outputWidth(), a.kernelSize(), a.poolTypeCode(),
                        a.depthwise(), a.inputLines(), a.outputLines()));
            } else if (n.body() instanceof PadBody p) {
                out.add("pad " + p.inShape() + " " + p.paddings());
            }
        }
        return out;
    }

    static String lastQuant(V4Model m) {
        V4Node last = m.nodes().get(m.nodes().size() - 1);
        return last.body().toString().replaceAll(".*quantParam=", "");
    }
}
