package k210studio.converter.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.tflite.TfliteImporter;
import k210studio.ir.graph.Graph;
import k210studio.ir.tensor.Tensor;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * nncase's iris example (two small float Dense layers) compiled by us to V3 and V4 and run in kpu-sim reproduces the
 * published reference [16.077795, 5.607656, -2.071745] for input [5.1, 3.8, 1.9, 0.4] (issue: within 1e-3).
 * Small Dense layers stay float on the CPU, as nncase does below its 1024-weight threshold.
 */
class IrisCompileTest {

    @ParameterizedTest
    @EnumSource(QuantRules.class)
    void irisReproducesTheReference(QuantRules target) throws Exception {
        Graph g = TfliteImporter.importFile(SharedFixtures.fixture("tflite/nncase_iris.tflite")).graph();
        List<Tensor> samples = List.of(Tensor.of(new int[] {4}, 5.1f, 3.8f, 1.9f, 0.4f),
                Tensor.of(new int[] {4}, 6.7f, 3.0f, 5.2f, 2.3f), Tensor.of(new int[] {4}, 5.9f, 3.0f, 4.2f, 1.5f));
        K210Compiler.Result r = K210Compiler.compile(g, samples, CompileOptions.defaults(target), null);
        assertThat(r.model().version()).isEqualTo(target == QuantRules.V3 ? 3 : 4);
        float[] out = r.model().run(KmodelTensor.ofFloats(new int[] {4}, new float[] {5.1f, 3.8f, 1.9f, 0.4f}),
                RunOptions.defaults()).output(0).toFloatArray();
        assertThat(out).hasSize(3);
        assertThat(out[0]).isCloseTo(16.077795f, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(out[1]).isCloseTo(5.607656f, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(out[2]).isCloseTo(-2.071745f, org.assertj.core.data.Offset.offset(1e-3f));
    }
}
