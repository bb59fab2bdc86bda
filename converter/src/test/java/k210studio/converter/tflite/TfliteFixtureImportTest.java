package k210studio.converter.tflite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.GlobalAveragePooling2D;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.Reshape;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.tensor.TensorShape;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every .tflite fixture imports completely, with the operator counts its provenance notes state. */
class TfliteFixtureImportTest {

    static ImportedModel load(String name) throws Exception {
        return TfliteImporter.importFile(SharedFixtures.fixture("tflite/" + name));
    }

    private static Map<String, Integer> counts(Object... kv) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Integer) kv[i + 1]);
        }
        return m;
    }

    static Stream<Arguments> fixtures() {
        return Stream.of(
                Arguments.of("nncase_iris.tflite", counts("FULLY_CONNECTED", 2)),
                Arguments.of("hello_world_float.tflite", counts("FULLY_CONNECTED", 3)),
                Arguments.of("hello_world_int8.tflite", counts("FULLY_CONNECTED", 3)),
                Arguments.of("tinymaix_mnist_dw_float.tflite", counts("CONV_2D", 2, "DEPTHWISE_CONV_2D", 2, "MEAN", 1,
                        "FULLY_CONNECTED", 1, "SOFTMAX", 1)),
                Arguments.of("tinymaix_mnist_dw_int8.tflite", counts("CONV_2D", 2, "DEPTHWISE_CONV_2D", 2, "MEAN", 1,
                        "FULLY_CONNECTED", 1, "SOFTMAX", 1)),
                Arguments.of("person_detect_int8.tflite", counts("DEPTHWISE_CONV_2D", 14, "CONV_2D", 14, "AVERAGE_POOL_2D", 1,
                        "RESHAPE", 1, "SOFTMAX", 1)),
                Arguments.of("coral_mobilenet_v1_0.25_128_quant_uint8.tflite", counts("CONV_2D", 15, "DEPTHWISE_CONV_2D", 13,
                        "AVERAGE_POOL_2D", 1, "RESHAPE", 1, "SOFTMAX", 1)),
                Arguments.of("tinymaix_mbnet128_0.25_float.tflite", counts("CONV_2D", 15, "DEPTHWISE_CONV_2D", 13, "PAD", 4,
                        "MEAN", 1, "SHAPE", 1, "STRIDED_SLICE", 1, "PACK", 1, "RESHAPE", 1, "SOFTMAX", 1)),
                Arguments.of("tinymaix_mbnet128_0.25_int8.tflite", counts("CONV_2D", 15, "DEPTHWISE_CONV_2D", 13, "PAD", 4,
                        "MEAN", 1, "SHAPE", 1, "STRIDED_SLICE", 1, "PACK", 1, "RESHAPE", 1, "SOFTMAX", 1)),
                Arguments.of("nncase_ulffd_landmark.tflite", counts("CONV_2D", 31, "DEPTHWISE_CONV_2D", 12, "PAD", 5,
                        "LEAKY_RELU", 3, "RELU", 3, "CONCATENATION", 6, "RESHAPE", 9)),
                Arguments.of("nncase_model_5.tflite", counts("CONV_2D", 6, "PAD", 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void importsCompletelyWithProvenanceOpCounts(String name, Map<String, Integer> expected) throws Exception {
        ImportedModel m = load(name);
        assertThat(m.opCounts()).as("operator counts of " + name).isEqualTo(expected);
        assertThat(m.hasErrors()).as("errors: " + m.diagnostics()).isFalse();
        assertThat(m.graph().problems()).isEmpty();
        // every layer's shape agrees with ShapeInference (the importer cross-checks against the TFLite tensors too)
        assertThat(ShapeInference.infer(m.graph()).ok()).isTrue();
        assertThat(m.graph().outputIds()).hasSize(m.outputs().size());
    }

    @Test
    void irisKeepsItsFloatInputAndOutputTensors() throws Exception {
        ImportedModel m = load("nncase_iris.tflite");
        assertThat(m.inputs()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("input");
            assertThat(t.dtype()).isEqualTo(TensorType.FLOAT32);
            assertThat(t.shape()).containsExactly(1, 4);
            assertThat(t.quantized()).isFalse();
        });
        assertThat(m.outputs()).singleElement().satisfies(t -> assertThat(t.shape()).containsExactly(1, 3));
        assertThat(m.diagnostics()).isEmpty();
    }

    @Test
    void personDetectFirstOpIsStride2SameDepthwiseWithMultiplier8AndInt8InputIsReported() throws Exception {
        ImportedModel m = load("person_detect_int8.tflite");
        TensorInfo in = m.inputs().get(0);
        assertThat(in.dtype()).isEqualTo(TensorType.INT8);
        assertThat(in.shape()).containsExactly(1, 96, 96, 1);
        assertThat(in.scale()).isCloseTo(0.007843f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(in.zeroPoint()).isEqualTo(-1);
        TensorInfo out = m.outputs().get(0);
        assertThat(out.dtype()).isEqualTo(TensorType.INT8);
        assertThat(out.scale()).isEqualTo(1f / 256);
        assertThat(out.zeroPoint()).isEqualTo(-128);

        String first = m.graph().consumersOf(in.layerId()).get(0);
        Layer l = m.graph().layer(first);
        assertThat(l.params()).isInstanceOf(DepthwiseConv2D.class);
        DepthwiseConv2D dw = (DepthwiseConv2D) l.params();
        assertThat(dw.depthMultiplier()).isEqualTo(8);
        assertThat(dw.strideH()).isEqualTo(2);
        assertThat(dw.padding()).isEqualTo(Padding.SAME);
        assertThat(l.weight("depthwise_kernel").shape()).containsExactly(3, 3, 1, 8);
        // quantization of weights and of the 1-D bias (declared on axis 3, read along its only axis) kept for display
        assertThat(l.notes().get("tflite.kernel.quantization")).startsWith("INT8 per-channel (axis 3, 8 channels)");
        assertThat(l.notes().get("tflite.bias.quantization")).startsWith("INT32 per-channel (axis 0, 8 channels)");
        assertThat(l.notes().get("tflite.output.quantization")).startsWith("INT8 per-tensor");

        assertThat(m.diagnostics("quantized-input")).hasSize(1);
        assertThat(m.diagnostics("quantized-model")).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("re-quantizes from float"));
    }

    @Test
    void coralMobilenetIsUint8PerTensor() throws Exception {
        ImportedModel m = load("coral_mobilenet_v1_0.25_128_quant_uint8.tflite");
        TensorInfo in = m.inputs().get(0);
        assertThat(in.dtype()).isEqualTo(TensorType.UINT8);
        assertThat(in.scale()).isEqualTo(1f / 128);
        assertThat(in.zeroPoint()).isEqualTo(128);
        assertThat(m.outputs().get(0).shape()).containsExactly(1, 1001);
        Layer conv = m.graph().layers().stream().filter(l -> l.params() instanceof Conv2D).findFirst().orElseThrow();
        assertThat(conv.notes().get("tflite.kernel.quantization")).startsWith("UINT8 per-tensor");
        assertThat(m.diagnostics("quantized-model")).hasSize(1);
    }

    @Test
    void mbnetShapeSubgraphIsFoldedIntoOneStaticReshapeAndPadsBecomeZeroPadding() throws Exception {
        ImportedModel m = load("tinymaix_mbnet128_0.25_float.tflite");
        assertThat(m.graph().layers().stream().filter(l -> l.params() instanceof Reshape).toList()).singleElement()
                .satisfies(l -> {
                    Reshape r = (Reshape) l.params();
                    assertThat(r.dynamic()).isFalse();
                    assertThat(r.targetShape()).isEqualTo(TensorShape.of(1000));
                });
        assertThat(m.diagnostics("reshape-folded")).hasSize(1);
        // Keras' ZeroPadding2D(((0,1),(0,1))) before each stride-2 depthwise conv
        assertThat(m.graph().layers().stream().filter(l -> l.params() instanceof ZeroPadding2D)
                .map(l -> (ZeroPadding2D) l.params()).toList())
                .hasSize(4).allSatisfy(z -> assertThat(z).isEqualTo(new ZeroPadding2D(0, 1, 0, 1)));
        assertThat(m.graph().layers().stream().filter(l -> l.params() instanceof GlobalAveragePooling2D).count()).isEqualTo(1);
        assertThat(m.diagnostics()).noneMatch(d -> d.severity() == ImportDiagnostic.Severity.WARNING);
    }

    @Test
    void ulffdHasThreeOutputsInFileOrder() throws Exception {
        ImportedModel m = load("nncase_ulffd_landmark.tflite");
        assertThat(m.outputs()).extracting(TensorInfo::name).containsExactly("Identity", "Identity_1", "Identity_2");
        var shapes = ShapeInference.infer(m.graph());
        assertThat(shapes.shape(m.outputs().get(0).layerId())).isEqualTo(TensorShape.of(3160, 4));
        assertThat(shapes.shape(m.outputs().get(1).layerId())).isEqualTo(TensorShape.of(3160, 10));
        assertThat(shapes.shape(m.outputs().get(2).layerId())).isEqualTo(TensorShape.of(3160, 2));
    }

    @Test
    void oldFilesUseTheDeprecatedOpcodeByteAndReadTheSameOps() throws Exception {
        // model_5 is a TOCO-era file: only deprecated_builtin_code is filled
        TfliteModelFile f = TfliteModelFile.read(java.nio.file.Files.readAllBytes(SharedFixtures.fixture("tflite/nncase_model_5.tflite")));
        assertThat(f.version()).isEqualTo(3);
        assertThat(f.operators()).extracting(TfliteOp::name)
                .containsExactly("CONV_2D", "CONV_2D", "CONV_2D", "CONV_2D", "PAD", "CONV_2D", "PAD", "CONV_2D");
    }

    @Test
    void importFileNamesTheGraphAfterTheFile() throws Exception {
        Path p = SharedFixtures.fixture("tflite/hello_world_float.tflite");
        assertThat(TfliteImporter.importFile(p).graph().name()).isEqualTo("hello_world_float");
    }
}
