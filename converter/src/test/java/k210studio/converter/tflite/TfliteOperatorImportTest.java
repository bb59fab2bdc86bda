package k210studio.converter.tflite;

import static k210studio.converter.tflite.TfliteModelBuilder.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.tflite.schema.BuiltinOptionsType;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.*;
import k210studio.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Operators the fixtures do not contain, imported from small TFLite files written by
 * {@link TfliteModelBuilder}: each maps to the intended layers and evaluates to TFLite's result.
 */
class TfliteOperatorImportTest {

    private static final int SAME = 0;
    private static final int VALID = 1;

    private static ImportedModel imp(TfliteModelBuilder b, int[] ins, int[] outs) throws TfliteFormatException {
        return TfliteImporter.importBytes(b.build(ins, outs), "synthetic");
    }

    private static float[] eval(ImportedModel m, float... x) {
        TensorInfo in = m.inputs().get(0);
        return FloatEvaluator.evaluate(m.graph(), Map.of(in.layerId(), new Tensor(InputEncoding.irShape(in), x)), false)
                .output().data();
    }

    private static List<Class<?>> kinds(ImportedModel m) {
        return m.graph().layers().stream().<Class<?>>map(l -> l.params().getClass()).toList();
    }

    @Test
    void addSubMulWithPerChannelConstantsBecomeBatchNormWithFusedActivation() throws Exception {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int x = b.activation("x", 1, 1, 2, 3);
        int c = b.floats("c", new int[] {3}, 1, -2, 3);
        int s = b.floats("s", new int[] {1}, 10);
        int a1 = b.activation("add", 1, 1, 2, 3);
        int a2 = b.activation("sub", 1, 1, 2, 3);
        int a3 = b.activation("mul", 1, 1, 2, 3);
        b.op(BuiltinOperator.ADD, new int[] {x, c}, new int[] {a1}, BuiltinOptionsType.ADD, options(0, "byte", 1));
        b.op(BuiltinOperator.SUB, new int[] {s, a1}, new int[] {a2}, BuiltinOptionsType.SUB, options(0, "byte", 0));
        b.op(BuiltinOperator.MUL, new int[] {a2, c}, new int[] {a3});
        ImportedModel m = imp(b, new int[] {x}, new int[] {a3});
        assertThat(m.hasErrors()).as(m.diagnostics().toString()).isFalse();
        assertThat(kinds(m)).containsExactly(Input.class, BatchNormalization.class, ReLU.class, BatchNormalization.class,
                BatchNormalization.class);
        float[] y = eval(m, 1, 1, 1, -5, 0, -9);
        // relu(x + c) = [2, 0, 4, 0, 0, 0]; 10 − that = [8, 10, 6, 10, 10, 10]; × c = [8, −20, 18, 10, −20, 30]
        assertThat(y).containsExactly(8, -20, 18, 10, -20, 30);
    }

    @Test
    void twoComputedOperandsAndConcatenationWithFusedRelu6() throws Exception {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int x = b.activation("x", 1, 2);
        int sum = b.activation("sum", 1, 2);
        int prod = b.activation("prod", 1, 2);
        int cat = b.activation("cat", 1, 4);
        b.op(BuiltinOperator.ADD, new int[] {x, x}, new int[] {sum});
        b.op(BuiltinOperator.MUL, new int[] {x, sum}, new int[] {prod});
        b.op(BuiltinOperator.CONCATENATION, new int[] {sum, prod}, new int[] {cat}, BuiltinOptionsType.CONCATENATION,
                options(0, "int", -1, 1, "byte", 3));
        ImportedModel m = imp(b, new int[] {x}, new int[] {cat});
        assertThat(kinds(m)).containsExactly(Input.class, Add.class, Multiply.class, Concatenate.class, ReLU.class);
        assertThat(((Concatenate) m.graph().layers().get(3).params()).axis()).isEqualTo(1);
        assertThat(eval(m, 1, -2)).containsExactly(2, 0, 2, 6);
    }

    @Test
    void resizesMapToUpSamplingWhenKerasComputesTheSameAndToResizingOtherwise() throws Exception {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int x = b.activation("x", 1, 2, 2, 1);
        int size4 = b.ints("size4", new int[] {2}, 4, 4);
        int size3 = b.ints("size3", new int[] {2}, 3, 3);
        int r1 = b.activation("bilinear_half", 1, 4, 4, 1);
        int r2 = b.activation("nearest", 1, 4, 4, 1);
        int r3 = b.activation("bilinear_align", 1, 3, 3, 1);
        b.op(BuiltinOperator.RESIZE_BILINEAR, new int[] {x, size4}, new int[] {r1}, BuiltinOptionsType.RESIZE_BILINEAR,
                options(2, "bool", false, 3, "bool", true));
        b.op(BuiltinOperator.RESIZE_NEAREST_NEIGHBOR, new int[] {x, size4}, new int[] {r2});
        b.op(BuiltinOperator.RESIZE_BILINEAR, new int[] {x, size3}, new int[] {r3}, BuiltinOptionsType.RESIZE_BILINEAR,
                options(2, "bool", true));
        ImportedModel m = imp(b, new int[] {x}, new int[] {r1, r2, r3});
        assertThat(m.hasErrors()).as(m.diagnostics().toString()).isFalse();
        List<Layer> ls = m.graph().layers();
        assertThat(ls.get(1).params()).isEqualTo(new UpSampling2D(2, 2, Interpolation.BILINEAR));
        assertThat(ls.get(2).params()).isEqualTo(new UpSampling2D(2, 2, Interpolation.NEAREST));
        assertThat(ls.get(3).params()).isEqualTo(new Resizing(3, 3, Interpolation.BILINEAR, true, false));
        var r = FloatEvaluator.evaluate(m.graph(), Map.of(m.inputs().get(0).layerId(),
                Tensor.of(new int[] {2, 2, 1}, 0, 10, 20, 30)), false);
        assertThat(r.output(2).data()).containsExactly(new float[] {0, 5, 10, 10, 15, 20, 20, 25, 30}, within(1e-5f));
    }

    @Test
    void transposeConvMovesOhwiWeightsToKerasLayout() throws Exception {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int x = b.activation("x", 1, 1, 1, 1);
        int shape = b.ints("shape", new int[] {4}, 1, 2, 2, 2);
        // OHWI [2,2,2,1]: filter 0 = 1..4, filter 1 = 10..40
        int w = b.floats("w", new int[] {2, 2, 2, 1}, 1, 2, 3, 4, 10, 20, 30, 40);
        int y = b.activation("y", 1, 2, 2, 2);
        b.op(BuiltinOperator.TRANSPOSE_CONV, new int[] {shape, w, x}, new int[] {y}, BuiltinOptionsType.TRANSPOSE_CONV,
                options(0, "byte", VALID, 1, "int", 2, 2, "int", 2));
        ImportedModel m = imp(b, new int[] {x}, new int[] {y});
        assertThat(m.hasErrors()).as(m.diagnostics().toString()).isFalse();
        assertThat(m.graph().layers().get(1).params()).isInstanceOf(Conv2DTranspose.class);
        assertThat(eval(m, 2)).containsExactly(2, 20, 4, 40, 6, 60, 8, 80);
    }

    @Test
    void activationOperatorsEvaluateLikeTflite() throws Exception {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int x = b.activation("x", 1, 1, 1, 3);
        int alpha = b.floats("alpha", new int[] {1, 1, 3}, 0.5f, 0.25f, 2f);
        int[] outs = new int[7];
        for (int i = 0; i < outs.length; i++) {
            outs[i] = b.activation("y" + i, 1, 1, 1, 3);
        }
        b.op(BuiltinOperator.PRELU, new int[] {x, alpha}, new int[] {outs[0]});
        b.op(BuiltinOperator.LEAKY_RELU, new int[] {x}, new int[] {outs[1]}, BuiltinOptionsType.LEAKY_RELU, options(0, "float", 0.2f));
        b.op(BuiltinOperator.LOGISTIC, new int[] {x}, new int[] {outs[2]});
        b.op(BuiltinOperator.TANH, new int[] {x}, new int[] {outs[3]});
        b.op(BuiltinOperator.HARD_SWISH, new int[] {x}, new int[] {outs[4]});
        b.op(BuiltinOperator.RELU6, new int[] {x}, new int[] {outs[5]});
        b.op(BuiltinOperator.RELU, new int[] {x}, new int[] {outs[6]});
        ImportedModel m = imp(b, new int[] {x}, outs);
        assertThat(m.hasErrors()).as(m.diagnostics().toString()).isFalse();
        var r = FloatEvaluator.evaluate(m.graph(), Map.of(m.inputs().get(0).layerId(),
                Tensor.of(new int[] {1, 1, 3}, -2, -1, 8)), false);
        assertThat(r.output(0).data()).containsExactly(-1, -0.25f, 8);
        assertThat(r.output(1).data()).containsExactly(new float[] {-0.4f, -0.2f, 8}, within(1e-6f));
        assertThat(r.output(2).data()[2]).isCloseTo((float) (1 / (1 + Math.exp(-8))), within(1e-6f));
        assertThat(r.output(3).data()[0]).isCloseTo((float) Math.tanh(-2), within(1e-6f));
        assertThat(r.output(4).data()).containsExactly(new float[] {-2f * 1 / 6, -1f * 2 / 6, 8}, within(1e-6f));
        assertThat(r.output(5).data()).containsExactly(0, 0, 6);
        assertThat(r.output(6).data()).containsExactly(0, 0, 8);
    }

    @Test
    void fp16WeightsBehindDequantizeAreFoldedAndNoted() throws Exception {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int x = b.activation("x", 1, 1, 1, 2);
        // fp16 0x3C00 = 1.0, 0x4000 = 2.0, 0xC200 = -3.0, 0x3800 = 0.5 ; OHWI [2,1,1,2]
        int w16 = b.halfs("w16", new int[] {2, 1, 1, 2}, (short) 0x3C00, (short) 0x4000, (short) 0xC200, (short) 0x3800);
        int w = b.activation("w", 2, 1, 1, 2);
        int y = b.activation("y", 1, 1, 1, 2);
        b.op(BuiltinOperator.DEQUANTIZE, new int[] {w16}, new int[] {w});
        b.op(BuiltinOperator.CONV_2D, new int[] {x, w, -1}, new int[] {y}, BuiltinOptionsType.CONV_2D,
                options(0, "byte", SAME, 1, "int", 1, 2, "int", 1));
        ImportedModel m = imp(b, new int[] {x}, new int[] {y});
        assertThat(m.hasErrors()).as(m.diagnostics().toString()).isFalse();
        assertThat(m.opCounts()).containsEntry("DEQUANTIZE", 1).containsEntry("CONV_2D", 1);
        assertThat(m.graph().layers()).hasSize(2);
        assertThat(m.graph().layers().get(1).notes().get("tflite.kernel.source")).startsWith("FLOAT16");
        assertThat(m.diagnostics("fp16-weights")).hasSize(1);
        assertThat(eval(m, 1, 2)).containsExactly(5, -2);
    }

    @Test
    void int8PerChannelWeightsAreDequantizedPerOutputChannel() throws Exception {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int x = b.activation("x", 1, 2);
        int w = b.tensor("w", TensorType.INT8, new int[] {2, 2}, new byte[] {4, 8, -4, 2}, new float[] {0.5f, 0.25f},
                new long[] {0, 0}, 0);
        int y = b.activation("y", 1, 2);
        b.op(BuiltinOperator.FULLY_CONNECTED, new int[] {x, w, -1}, new int[] {y});
        ImportedModel m = imp(b, new int[] {x}, new int[] {y});
        assertThat(m.graph().layers().get(1).weight("kernel").data()).containsExactly(2, -1, 4, 0.5f);
        assertThat(m.graph().layers().get(1).notes().get("tflite.kernel.quantization"))
                .isEqualTo("INT8 per-channel (axis 0, 2 channels) scale 0.2500..0.5000 zero point 0");
        assertThat(m.diagnostics("quantized-model")).hasSize(1);
        assertThat(eval(m, 1, 1)).containsExactly(6, -0.5f);
    }

    @Test
    void fullyConnectedOnAnImageFlattensFirstAndPoolsKeepTheirOptions() throws Exception {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int x = b.activation("x", 1, 4, 4, 1);
        int p = b.activation("p", 1, 2, 2, 1);
        int a = b.activation("a", 1, 1, 1, 1);
        int w = b.floats("w", new int[] {1, 1}, 2);
        int y = b.activation("y", 1, 1);
        b.op(BuiltinOperator.MAX_POOL_2D, new int[] {x}, new int[] {p}, BuiltinOptionsType.POOL_2D,
                options(0, "byte", VALID, 1, "int", 2, 2, "int", 2, 3, "int", 2, 4, "int", 2, 5, "byte", 1));
        b.op(BuiltinOperator.AVERAGE_POOL_2D, new int[] {p}, new int[] {a}, BuiltinOptionsType.POOL_2D,
                options(0, "byte", VALID, 1, "int", 2, 2, "int", 2, 3, "int", 2, 4, "int", 2));
        b.op(BuiltinOperator.FULLY_CONNECTED, new int[] {a, w, -1}, new int[] {y});
        ImportedModel m = imp(b, new int[] {x}, new int[] {y});
        assertThat(m.hasErrors()).as(m.diagnostics().toString()).isFalse();
        assertThat(kinds(m)).containsExactly(Input.class, MaxPooling2D.class, ReLU.class, AveragePooling2D.class,
                Flatten.class, Dense.class);
        float[] in = new float[16];
        for (int i = 0; i < 16; i++) {
            in[i] = i - 8;
        }
        // max pools: [-3, -1, 5, 7] → relu [0, 0, 5, 7] → avg 3 → ×2
        assertThat(eval(m, in)).containsExactly(6);
    }

    @Test
    void squeezeAndMeanWithKeepDims() throws Exception {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int x = b.activation("x", 1, 2, 2, 3);
        int axes = b.ints("axes", new int[] {2}, 1, 2);
        int mean = b.activation("mean", 1, 1, 1, 3);
        int sq = b.activation("sq", 1, 3);
        b.op(BuiltinOperator.MEAN, new int[] {x, axes}, new int[] {mean}, BuiltinOptionsType.REDUCER, options(0, "bool", true));
        b.op(BuiltinOperator.SQUEEZE, new int[] {mean}, new int[] {sq}, BuiltinOptionsType.SQUEEZE, null);
        ImportedModel m = imp(b, new int[] {x}, new int[] {sq});
        assertThat(m.hasErrors()).as(m.diagnostics().toString()).isFalse();
        assertThat(m.graph().layers().get(1).params()).isEqualTo(new GlobalAveragePooling2D(true));
        assertThat(eval(m, 1, 2, 3, 3, 4, 5, 5, 6, 7, 7, 8, 9)).containsExactly(4, 5, 6);
    }

    @Test
    void unsupportedAndCustomOperatorsAreListedByNameAndCount() throws Exception {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int x = b.activation("x", 1, 4);
        int r = b.activation("r", 1, 4);
        int c1 = b.activation("c1", 1, 4);
        int c2 = b.activation("c2", 1, 4);
        int l = b.activation("l", 1, 4);
        int z = b.activation("z", 1, 4);
        b.op(BuiltinOperator.RELU, new int[] {x}, new int[] {r});
        b.custom("TFLite_Detection_PostProcess", new int[] {r}, new int[] {c1});
        b.custom("TFLite_Detection_PostProcess", new int[] {c1}, new int[] {c2});
        b.op(16, new int[] {r}, new int[] {l}); // LSTM
        b.op(BuiltinOperator.RELU, new int[] {c2}, new int[] {z});
        ImportedModel m = imp(b, new int[] {x}, new int[] {z, r});
        assertThat(m.hasErrors()).isTrue();
        assertThat(m.diagnostics("unsupported-op")).extracting(ImportDiagnostic::message)
                .anySatisfy(s -> assertThat(s).contains("CUSTOM(TFLite_Detection_PostProcess) ×2"))
                .anySatisfy(s -> assertThat(s).contains("LSTM ×1"));
        assertThat(m.diagnostics("skipped-ops")).singleElement().satisfies(d -> assertThat(d.message()).startsWith("1 operator"));
        assertThat(m.diagnostics("missing-output")).singleElement().satisfies(d -> assertThat(d.message()).contains("'z'"));
        // what could be imported is still there
        assertThat(kinds(m)).containsExactly(Input.class, ReLU.class);
        assertThat(m.outputs()).extracting(TensorInfo::name).containsExactly("r");
    }

    @Test
    void parametersOutsideTheCatalogAreErrorsNamingTheOperator() throws Exception {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int x = b.activation("x", 1, 2, 2, 3);
        // padding the batch axis has no layer (channel padding does: ChannelPadImportTest)
        int pads = b.ints("pads", new int[] {4, 2}, 1, 0, 1, 1, 1, 1, 0, 0);
        int y = b.activation("y", 2, 4, 4, 3);
        b.op(BuiltinOperator.PAD, new int[] {x, pads}, new int[] {y});
        ImportedModel m = imp(b, new int[] {x}, new int[] {y});
        assertThat(m.diagnostics("unsupported-params")).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("op 0 (PAD)").contains("batch"));
    }

    @Test
    void optionsOfTheWrongUnionTypeAreAFormatError() {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int x = b.activation("x", 1, 1, 1, 1);
        int w = b.floats("w", new int[] {1, 1, 1, 1}, 1);
        int y = b.activation("y", 1, 1, 1, 1);
        b.op(BuiltinOperator.CONV_2D, new int[] {x, w, -1}, new int[] {y}, BuiltinOptionsType.POOL_2D, options(0, "byte", 0));
        assertThatThrownBy(() -> imp(b, new int[] {x}, new int[] {y})).isInstanceOf(TfliteFormatException.class)
                .hasMessageContaining("union type 5");
    }

    @Test
    void oldFilesWithOnlyTheDeprecatedOpcodeImportTheSame() throws Exception {
        TfliteModelBuilder b = new TfliteModelBuilder().oldOpcodes();
        int x = b.activation("x", 1, 3);
        int y = b.activation("y", 1, 3);
        b.op(BuiltinOperator.HARD_SWISH, new int[] {x}, new int[] {y});
        ImportedModel m = imp(b, new int[] {x}, new int[] {y});
        assertThat(m.opCounts()).containsOnlyKeys("HARD_SWISH");
    }

    @Test
    void dynamicDimensionsAreReportedButABatchOfMinusOneIsNormal() throws Exception {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int x = b.dynamicActivation("x", new int[] {1, 8, 8, 3}, new int[] {-1, -1, -1, 3});
        int y = b.dynamicActivation("y", new int[] {1, 8, 8, 3}, new int[] {-1, -1, -1, 3});
        b.op(BuiltinOperator.RELU, new int[] {x}, new int[] {y});
        ImportedModel m = imp(b, new int[] {x}, new int[] {y});
        assertThat(m.hasErrors()).isFalse();
        assertThat(m.diagnostics("dynamic-shape")).hasSize(2)
                .anySatisfy(d -> assertThat(d.message()).contains("input 'x'").contains("[-1, -1, -1, 3]"))
                .anySatisfy(d -> assertThat(d.message()).startsWith("1 tensor(s)"));

        TfliteModelBuilder fixed = new TfliteModelBuilder();
        int fx = fixed.dynamicActivation("x", new int[] {1, 8, 8, 3}, new int[] {-1, 8, 8, 3});
        int fy = fixed.activation("y", 1, 8, 8, 3);
        fixed.op(BuiltinOperator.RELU, new int[] {fx}, new int[] {fy});
        assertThat(imp(fixed, new int[] {fx}, new int[] {fy}).diagnostics()).isEmpty();
    }

    @Test
    void quantizeAndDequantizeOnActivationsAreIdentitiesOfTheFloatGraph() throws Exception {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int x = b.activation("x", 1, 2);
        int xq = b.tensor("x_q", TensorType.INT8, new int[] {1, 2}, null, new float[] {0.1f}, new long[] {3}, 0);
        int w = b.tensor("w", TensorType.INT8, new int[] {1, 2}, new byte[] {10, -20}, new float[] {0.05f}, new long[] {0}, 0);
        int yq = b.tensor("y_q", TensorType.INT8, new int[] {1, 1}, null, new float[] {0.2f}, new long[] {-1}, 0);
        int y = b.activation("y", 1, 1);
        b.op(BuiltinOperator.QUANTIZE, new int[] {x}, new int[] {xq});
        b.op(BuiltinOperator.FULLY_CONNECTED, new int[] {xq, w, -1}, new int[] {yq});
        b.op(BuiltinOperator.DEQUANTIZE, new int[] {yq}, new int[] {y});
        ImportedModel m = imp(b, new int[] {x}, new int[] {y});
        assertThat(m.hasErrors()).as(m.diagnostics().toString()).isFalse();
        assertThat(kinds(m)).containsExactly(Input.class, Dense.class);
        assertThat(m.inputs().get(0).dtype()).isEqualTo(TensorType.FLOAT32);
        assertThat(m.diagnostics("quantized-input")).isEmpty();
        assertThat(m.graph().layers().get(1).notes().get("tflite.output.quantization"))
                .isEqualTo("INT8 per-tensor scale 0.200000 zero point -1");
        // weights dequantized: [0.5, -1]
        assertThat(eval(m, 2, 1)).containsExactly(0f);
        assertThat(eval(m, 4, 1)).containsExactly(1f);
    }

    @Test
    void divisionByAConstantAndMaxMinClippingBecomeExactLayers() throws Exception {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int x = b.activation("x", 1, 4);
        int two = b.floats("two", new int[] {1}, 2);
        int zero = b.floats("zero", new int[] {}, 0);
        int six = b.floats("six", new int[] {}, 6);
        int d = b.activation("d", 1, 4);
        int mx = b.activation("mx", 1, 4);
        int mn = b.activation("mn", 1, 4);
        b.op(BuiltinOperator.DIV, new int[] {x, two}, new int[] {d});
        b.op(BuiltinOperator.MAXIMUM, new int[] {zero, d}, new int[] {mx});
        b.op(BuiltinOperator.MINIMUM, new int[] {mx, six}, new int[] {mn});
        ImportedModel m = imp(b, new int[] {x}, new int[] {mn});
        assertThat(m.hasErrors()).as(m.diagnostics().toString()).isFalse();
        assertThat(kinds(m)).containsExactly(Input.class, BatchNormalization.class, ReLU.class, ReLU.class);
        assertThat(eval(m, -4, 3, 11, 20)).containsExactly(0, 1.5f, 5.5f, 6);

        TfliteModelBuilder bad = new TfliteModelBuilder();
        int bx = bad.activation("x", 1, 4);
        int by = bad.activation("y", 1, 4);
        bad.op(BuiltinOperator.MAXIMUM, new int[] {bx, bx}, new int[] {by});
        assertThat(imp(bad, new int[] {bx}, new int[] {by}).diagnostics("unsupported-params")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("op 0 (MAXIMUM)"));
    }

    @Test
    void weightsStoredOutsideTheFlatbufferAreReadFromOffsetAndSize() throws Exception {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int x = b.activation("x", 1, 2);
        int w = b.externalFloats("w", new int[] {3, 2}, 1, 2, 3, 4, 5, 6);
        int bias = b.floats("bias", new int[] {3}, 0.5f, 0, -1);
        int y = b.activation("y", 1, 3);
        b.op(BuiltinOperator.FULLY_CONNECTED, new int[] {x, w, bias}, new int[] {y});
        byte[] file = b.build(new int[] {x}, new int[] {y});
        ImportedModel m = TfliteImporter.importBytes(file, "external");
        assertThat(m.hasErrors()).as(m.diagnostics().toString()).isFalse();
        assertThat(eval(m, 1, 1)).containsExactly(3.5f, 7, 10);
        // the external range must lie inside the file
        byte[] cut = java.util.Arrays.copyOf(file, file.length - 16);
        assertThatThrownBy(() -> TfliteImporter.importBytes(cut, "cut")).isInstanceOf(TfliteFormatException.class)
                .hasMessageContaining("external data");
    }

    @Test
    void reshapeThatDropsTheBatchKeepsElementCountsAndConcatAxesShift() throws Exception {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int x = b.activation("x", 1, 2, 2, 3);
        int r = b.activation("r", 4, 3);
        int c = b.activation("c", 4, 6);
        int sm = b.activation("sm", 4, 6);
        b.op(BuiltinOperator.RESHAPE, new int[] {x}, new int[] {r});
        b.op(BuiltinOperator.CONCATENATION, new int[] {r, r}, new int[] {c}, BuiltinOptionsType.CONCATENATION,
                options(0, "int", 1));
        b.op(BuiltinOperator.SOFTMAX, new int[] {c}, new int[] {sm}, BuiltinOptionsType.SOFTMAX, options(0, "float", 2f));
        ImportedModel m = imp(b, new int[] {x}, new int[] {c, sm});
        assertThat(m.hasErrors()).as(m.diagnostics().toString()).isFalse();
        assertThat(m.graph().layers().get(1).params()).isEqualTo(Reshape.to(4, 3));
        assertThat(m.graph().layers().get(2).params()).isEqualTo(new Concatenate(2));
        assertThat(kinds(m).subList(3, 5)).containsExactly(BatchNormalization.class, Softmax.class);
        float[] in = new float[12];
        for (int i = 0; i < 12; i++) {
            in[i] = i;
        }
        var res = FloatEvaluator.evaluate(m.graph(), Map.of(m.inputs().get(0).layerId(), new Tensor(new int[] {2, 2, 3}, in)), false);
        assertThat(res.output(0).shape()).containsExactly(4, 6);
        assertThat(res.output(0).data()).startsWith(0, 1, 2, 0, 1, 2, 3, 4, 5, 3);
        // softmax(2·x) of row [0, 1, 2, 0, 1, 2]
        double z = 2 * (1 + Math.exp(2) + Math.exp(4));
        assertThat(res.output(1).data()[2]).isCloseTo((float) (Math.exp(4) / z), within(1e-6f));
    }

    @Test
    void fullyConnectedOnRowsOfASequenceActsOnTheLastAxis() throws Exception {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int x = b.activation("x", 1, 3, 2);
        int w = b.floats("w", new int[] {1, 2}, 1, 10);
        int y = b.activation("y", 3, 1);
        b.op(BuiltinOperator.FULLY_CONNECTED, new int[] {x, w, -1}, new int[] {y});
        ImportedModel m = imp(b, new int[] {x}, new int[] {y});
        assertThat(m.hasErrors()).as(m.diagnostics().toString()).isFalse();
        assertThat(kinds(m)).containsExactly(Input.class, Dense.class);
        assertThat(eval(m, 1, 2, 3, 4, 5, 6)).containsExactly(21, 43, 65);
    }

    @Test
    void sparseWeightsAreReportedNotMisreadAsCorrupt() throws Exception {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int x = b.activation("x", 1, 4);
        int ws = b.floats("w_sparse", new int[] {2, 4}, 1, 2, 3); // only the non-zeros: fewer bytes than the shape needs
        b.markSparse(ws);
        int w = b.activation("w", 2, 4);
        int y = b.activation("y", 1, 2);
        b.op(124, new int[] {ws}, new int[] {w}); // DENSIFY
        b.op(BuiltinOperator.FULLY_CONNECTED, new int[] {x, w, -1}, new int[] {y});
        ImportedModel m = imp(b, new int[] {x}, new int[] {y});
        assertThat(m.diagnostics("sparse-weights")).singleElement().satisfies(d -> assertThat(d.message()).contains("sparse"));
        assertThat(m.diagnostics("unsupported-op")).singleElement().satisfies(d -> assertThat(d.message()).contains("DENSIFY ×1"));
    }
}
