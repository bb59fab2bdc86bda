package k210studio.converter.tflite;

import static k210studio.converter.tflite.TfliteModelBuilder.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import k210studio.converter.compile.CalibrationDataset;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.compile.ErrorStats;
import k210studio.converter.compile.K210Compiler;
import k210studio.converter.eval.EvaluationResult;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.evaluate.OutputMap;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.tflite.schema.BuiltinOptionsType;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.tensor.Tensor;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import org.junit.jupiter.api.Test;

/**
 * TFLite PAD on the channel axis, as BlazeFace's residual blocks use it: the shortcut's 8 channels are padded with
 * zeros to the branch's 16 before the Add (paddings [[0,0],[0,0],[0,0],[0,8]]). It used to be refused; it imports as
 * a 1×1 convolution that copies the channels (a KPU layer), and the block compiles for V4 and agrees with float.
 * The model is written here with the real TFLite flatbuffer schema (no fixture holds a BlazeFace block).
 */
public class ChannelPadImportTest {
    static final int H = 16;
    static final int W = 16;
    static final int SAME = 0;
    static final int VALID = 1;

    /** BlazeFace's block as it is (ReLU after the Add), for V4. */
    @Test
    void blazeFaceResidualBlockWithChannelPaddingCompilesForV4AndAgreesWithFloat() throws Exception {
        compileAndCompare(QuantRules.V4, true);
    }

    /** V3 has no layer for a ReLU after an Add (the compiler says so, pad or not): the block without it. */
    @Test
    void theBlockWithoutTheReluAfterTheAddCompilesForV3() throws Exception {
        compileAndCompare(QuantRules.V3, false);
    }

    private static void compileAndCompare(QuantRules target, boolean reluAfterAdd) throws Exception {
        ImportedModel m = TfliteImporter.importBytes(blazeBlock(reluAfterAdd), "blaze_block");
        assertThat(m.hasErrors()).as(m.diagnostics().toString()).isFalse();
        Graph g = m.graph();
        Layer pad = g.layers().stream().filter(l -> l.notes().containsKey("channel padding")).findFirst().orElseThrow();
        assertThat(pad.params()).isInstanceOf(Conv2D.class);
        assertThat(((Conv2D) pad.params()).filters()).isEqualTo(16);
        assertThat(pad.weight("kernel").shape()).containsExactly(1, 1, 8, 16);

        byte[] px = pixels(99);
        Tensor x = CalibrationDataset.fromPlanar(px, H, W, 3, 0f, 255f);
        EvaluationResult ref = FloatEvaluator.evaluate(g, Map.of(g.inputIds().get(0), x), true);
        float[] before = ref.tensor(g.inputsOf(pad.id()).get(0)).data();
        float[] padded = ref.tensor(pad.id()).data();
        for (int i = 0; i < H * W; i++) {
            for (int c = 0; c < 16; c++) {
                assertThat(padded[i * 16 + c]).isEqualTo(c < 8 ? before[i * 8 + c] : 0f);
            }
        }

        List<Tensor> calib = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calib.add(CalibrationDataset.fromPlanar(pixels(i), H, W, 3, 0f, 255f));
        }
        K210Compiler.Result r = K210Compiler.compile(g, calib, CompileOptions.defaults(target), null);
        float[] k210 = r.model().run(KmodelTensor.ofUint8(new int[] {3, H, W}, px), RunOptions.defaults()).output(0).toFloatArray();
        ErrorStats e = ErrorStats.of(OutputMap.ofFloat(ref.output()).chw(), k210); // the kmodel's output is C×H×W
        System.out.printf("blaze block %s: cosine vs float %.5f, max |Δ| %.4f%n", target, e.cosine(), e.maxAbsDiff());
        assertThat(e.cosine()).isGreaterThan(0.99);
    }

    /** input 16×16×3 → conv 3×3 relu (8) → { conv 1×1 (16) ; PAD channels +8 } → ADD (relu). */
    public static byte[] blazeBlock(boolean reluAfterAdd) {
        TfliteModelBuilder b = new TfliteModelBuilder();
        Random rnd = new Random(7);
        int x = b.activation("image", 1, H, W, 3);
        int w1 = b.floats("conv1/w", new int[] {8, 3, 3, 3}, random(rnd, 8 * 3 * 3 * 3, 0.4f));
        int b1 = b.floats("conv1/b", new int[] {8}, random(rnd, 8, 0.1f));
        int a = b.activation("conv1", 1, H, W, 8);
        b.op(BuiltinOperator.CONV_2D, new int[] {x, w1, b1}, new int[] {a}, BuiltinOptionsType.CONV_2D,
                options(0, "byte", SAME, 1, "int", 1, 2, "int", 1, 3, "byte", 1));
        int w2 = b.floats("branch/w", new int[] {16, 1, 1, 8}, random(rnd, 16 * 8, 0.4f));
        int b2 = b.floats("branch/b", new int[] {16}, random(rnd, 16, 0.1f));
        int br = b.activation("branch", 1, H, W, 16);
        b.op(BuiltinOperator.CONV_2D, new int[] {a, w2, b2}, new int[] {br}, BuiltinOptionsType.CONV_2D,
                options(0, "byte", VALID, 1, "int", 1, 2, "int", 1));
        int pads = b.ints("shortcut/paddings", new int[] {4, 2}, 0, 0, 0, 0, 0, 0, 0, 8);
        int sc = b.activation("shortcut", 1, H, W, 16);
        b.op(BuiltinOperator.PAD, new int[] {a, pads}, new int[] {sc});
        int y = b.activation("block", 1, H, W, 16);
        b.op(BuiltinOperator.ADD, new int[] {br, sc}, new int[] {y}, BuiltinOptionsType.ADD, options(0, "byte", reluAfterAdd ? 1 : 0));
        return b.build(new int[] {x}, new int[] {y});
    }

    private static float[] random(Random rnd, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * scale;
        }
        return v;
    }

    private static byte[] pixels(int seed) {
        Random r = new Random(seed);
        byte[] px = new byte[3 * H * W];
        r.nextBytes(px);
        return px;
    }
}
