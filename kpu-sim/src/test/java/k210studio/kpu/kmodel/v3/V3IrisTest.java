package k210studio.kpu.kmodel.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import k210studio.kpu.kmodel.ElementType;
import k210studio.kpu.kmodel.ExecutionUnit;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import org.junit.jupiter.api.Test;

/** The published nncase iris vector (examples/iris Readme): FC 4->10 relu, FC 10->3 in float. */
class V3IrisTest {
    @Test
    void irisSetosaVector() throws Exception {
        V3Model m = V3Fixtures.model("iris_fc_nncase_rc5.kmodel");
        assertThat(m.inputs().get(0).type()).isEqualTo(ElementType.FLOAT32);
        RunResult r = m.run(KmodelTensor.ofFloats(new int[] {4}, new float[] {5.1f, 3.8f, 1.9f, 0.4f}),
                RunOptions.defaults().withTraceOutputs(true));
        float[] out = r.output(0).toFloatArray();
        assertThat(out).hasSize(3);
        assertThat(out[0]).isCloseTo(16.077795f, within(1e-4f));
        assertThat(out[1]).isCloseTo(5.607656f, within(1e-4f));
        assertThat(out[2]).isCloseTo(-2.071745f, within(1e-4f));
        assertThat(r.layers()).hasSize(2);
        assertThat(r.layers().get(0).unit()).isEqualTo(ExecutionUnit.CPU);
        assertThat(r.layers().get(0).type()).isEqualTo("FULLY_CONNECTED");
        // the first layer's ReLU is applied (SDK >= V0.5.7): no negative hidden activations
        for (float v : r.layers().get(0).output().toFloatArray()) {
            assertThat(v).isGreaterThanOrEqualTo(0f);
        }
    }
}
