package k210studio.converter.compile.lower;

import static k210studio.converter.compile.PassTesting.random;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.compile.K210Program;
import k210studio.converter.compile.PassTesting;
import k210studio.converter.compile.PlanStep;
import k210studio.converter.compile.PlannedValue;
import k210studio.converter.compile.Storage;
import k210studio.converter.quant.QuantRules;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Add;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

class InputLoweringTest {

    private static Conv2D conv(int stride, Padding p) {
        return new Conv2D(8, 3, 3, stride, stride, p, 1, 1, false, ActivationFn.RELU);
    }

    private static Graph imageInto(Conv2D first, boolean zeroPad) {
        Graph g = new Graph("in");
        String x = g.add("image", new Input(TensorShape.hwc(16, 16, 3)));
        if (zeroPad) {
            x = g.add("pad", new ZeroPadding2D(1, 1, 1, 1), x);
        }
        g.add("conv", first, Map.of("kernel", random(1, 3, 3, 3, 8)), x);
        return g;
    }

    private static PlannedValue input(K210Program p) {
        assertThat(p.inputs()).hasSize(1);
        return p.inputs().get(0);
    }

    // pins: an image only KPU convs read arrives as uint8 planar RGB straight in KPU RAM, quantized as the preprocessing
    // says (mean 127.5, std 127.5 → real range [-1, 1]: 127.5 steps per unit, zero point 128); no upload step precedes the first KPU layer
    @Test
    void anImageForTheKpuArrivesAsUint8InKpuRam() throws Exception {
        K210Program p = PassTesting.lower(imageInto(conv(1, Padding.SAME), false),
                CompileOptions.defaults(QuantRules.V4).withPreprocessing(127.5f, 127.5f));
        PlannedValue in = input(p);

        assertThat(in.storage()).isEqualTo(Storage.KPU);
        assertThat(new int[] {in.c(), in.h(), in.w()}).containsExactly(3, 16, 16);
        assertThat(in.quant().scale()).isCloseTo(127.5, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(in.quant().zeroPoint()).isEqualTo(128);
        assertThat(p.steps().get(0)).isInstanceOf(PlanStep.KpuConv.class);
        assertThat(((PlanStep.KpuConv) p.steps().get(0)).plan().input()).isSameAs(in);
        assertThat(p.notes()).anyMatch(n -> n.startsWith("input: uint8 16×16×3 planar RGB in KPU RAM"));
    }

    // pins: when the first conv needs CPU padding (V4 'same' stride 2 on an even grid) the uint8 image lands in main
    // memory, is padded there and then uploaded; a ZeroPadding2D the conv absorbs still counts as a KPU consumer
    @Test
    void anImageTheFirstConvPadsOnTheCpuArrivesInMainMemory() throws Exception {
        K210Program p = PassTesting.lower(imageInto(conv(2, Padding.SAME), false), QuantRules.V4);
        assertThat(input(p).storage()).isEqualTo(Storage.MAIN_U8);
        assertThat(p.steps().get(0)).isInstanceOf(PlanStep.PadU8.class);
        assertThat(p.steps().get(1)).isInstanceOf(PlanStep.Upload.class);

        K210Program absorbed = PassTesting.lower(imageInto(conv(2, Padding.VALID), true), QuantRules.V4);
        assertThat(input(absorbed).storage()).isEqualTo(Storage.KPU);
        assertThat(absorbed.steps().get(0)).isInstanceOf(PlanStep.KpuConv.class);
    }

    // pins: an image that a CPU layer also reads stays float32 in main memory (pinned at offset 0) on V3, as does a
    // vector input; on V4 it takes the camera's uint8 bytes in main memory (the CPU layer reads them dequantized)
    @Test
    void otherInputsAreFloatInMainMemory() throws Exception {
        Graph mixed = imageInto(conv(1, Padding.SAME), false);
        String image = mixed.inputIds().get(0);
        mixed.add("sum", new Add(), image, image);
        PlannedValue in = input(PassTesting.lower(mixed, QuantRules.V3));
        assertThat(in.storage()).isEqualTo(Storage.MAIN_F32);
        assertThat(in.quant()).isNull();
        PlannedValue in4 = input(PassTesting.lower(mixed, QuantRules.V4));
        assertThat(in4.storage()).isEqualTo(Storage.MAIN_U8);
        assertThat(in4.quant()).isNotNull();

        Graph vector = new Graph("vec");
        String v = vector.add("features", new Input(TensorShape.of(4)));
        vector.add("fc", new Dense(3, true, ActivationFn.SOFTMAX), Map.of("kernel", random(1, 4, 3), "bias", random(2, 3)), v);
        K210Program p = PassTesting.lower(vector, QuantRules.V3);
        PlannedValue vin = input(p);
        assertThat(vin.storage()).isEqualTo(Storage.MAIN_F32);
        assertThat(new int[] {vin.c(), vin.h(), vin.w()}).containsExactly(4, 1, 1);
        assertThat(p.notes()).anyMatch(n -> n.startsWith("input: float32"));
    }
}
