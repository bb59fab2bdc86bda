package k210studio.converter.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import k210studio.converter.keras.KerasTestFiles.H5Weight;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.*;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.shape.ShapeResult;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras 2 .h5 files written by this test (with jhdf's HDF5 writer) in the layout tf.keras
 * model.save() uses, to pin layers and config forms the real fixtures do not contain: every
 * ZeroPadding2D padding form, BatchNormalization without center/scale, LeakyReLU, ReLU(max_value),
 * PReLU(shared_axes), merges, a nested model, a shared layer, and the refusals of Lambda,
 * custom and TF-op layers.
 */
class KerasSyntheticModelTest {
    @TempDir
    Path tmp;

    private final Random rnd = new Random(7);

    static String ref(String name, int node) {
        return "[\"" + name + "\", " + node + ", 0, {}]";
    }

    static String layer(String cls, String name, String config, String... nodes) {
        StringBuilder inbound = new StringBuilder("[");
        for (int i = 0; i < nodes.length; i++) {
            inbound.append(i == 0 ? "" : ", ").append("[").append(nodes[i]).append("]");
        }
        inbound.append("]");
        return "{\"class_name\": \"" + cls + "\", \"name\": \"" + name + "\", \"config\": {\"name\": \"" + name + "\", \"trainable\": true"
                + (config.isEmpty() ? "" : ", " + config) + "}, \"inbound_nodes\": " + inbound + "}";
    }

    static String functional(String name, String inputs, String outputs, String... layers) {
        return "{\"class_name\": \"Functional\", \"config\": {\"name\": \"" + name + "\", \"layers\": [" + String.join(", ", layers)
                + "], \"input_layers\": " + inputs + ", \"output_layers\": " + outputs + "}}";
    }

    H5Weight w(String name, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = name.contains("variance") ? 0.5f + rnd.nextFloat() : (float) rnd.nextGaussian();
        }
        return new H5Weight(name, shape, v);
    }

    ImportedKerasModel importH5(String config, Map<String, List<H5Weight>> weights) throws Exception {
        Path f = tmp.resolve("m" + rnd.nextInt(1_000_000) + ".h5");
        KerasTestFiles.writeKeras2(f, config, weights);
        return KerasImporter.importFile(f);
    }

    @Test
    void functionalModelWithEveryPaddingFormMergesNestedModelAndBatchNormVariants() throws Exception {
        String inner = "{\"class_name\": \"Functional\", \"name\": \"inner\", \"config\": {\"name\": \"inner\", \"trainable\": true, \"layers\": ["
                + layer("InputLayer", "inner_in", "\"batch_input_shape\": [null, 8, 8, 4]") + ", "
                + layer("Conv2D", "inner_conv", "\"filters\": 4, \"kernel_size\": [1, 1], \"strides\": [1, 1], \"padding\": \"valid\", "
                        + "\"data_format\": \"channels_last\", \"dilation_rate\": [1, 1], \"groups\": 1, \"activation\": \"relu6\", \"use_bias\": true",
                        ref("inner_in", 0)) + ", "
                + layer("BatchNormalization", "inner_bn", "\"axis\": [3], \"epsilon\": 0.002, \"center\": true, \"scale\": true", ref("inner_conv", 0))
                + "], \"input_layers\": [[\"inner_in\", 0, 0]], \"output_layers\": [[\"inner_bn\", 0, 0]]}, \"inbound_nodes\": [[" + ref("lrelu", 0) + "]]}";
        String cfg = functional("outer", "[[\"img\", 0, 0]]", "[[\"probs\", 0, 0], [\"flat\", 0, 0]]",
                layer("InputLayer", "img", "\"batch_input_shape\": [null, 8, 8, 3], \"dtype\": \"float32\""),
                layer("ZeroPadding2D", "pad_int", "\"padding\": 1, \"data_format\": \"channels_last\"", ref("img", 0)),
                layer("Conv2D", "conv", "\"filters\": 4, \"kernel_size\": 3, \"strides\": 1, \"padding\": \"valid\", \"data_format\": \"channels_last\", "
                        + "\"dilation_rate\": 1, \"activation\": \"linear\", \"use_bias\": false", ref("pad_int", 0)),
                layer("BatchNormalization", "bn_plain", "\"axis\": -1, \"epsilon\": 0.001, \"center\": false, \"scale\": false", ref("conv", 0)),
                layer("LeakyReLU", "lrelu", "\"alpha\": 0.1", ref("bn_plain", 0)),
                inner,
                layer("ReLU", "relu6", "\"max_value\": 6.0, \"negative_slope\": 0.0, \"threshold\": 0.0", ref("inner", 1)),
                layer("Add", "add", "", ref("lrelu", 0) + ", " + ref("relu6", 0)),
                layer("Concatenate", "cat", "\"axis\": -1", ref("add", 0) + ", " + ref("relu6", 0)),
                layer("ZeroPadding2D", "pad_hw", "\"padding\": [1, 2], \"data_format\": \"channels_last\"", ref("cat", 0)),
                layer("ZeroPadding2D", "pad_tblr", "\"padding\": [[0, 1], [2, 0]], \"data_format\": \"channels_last\"", ref("pad_hw", 0)),
                layer("DepthwiseConv2D", "dw", "\"kernel_size\": [3, 3], \"strides\": [2, 2], \"padding\": \"valid\", \"depth_multiplier\": 1, "
                        + "\"data_format\": \"channels_last\", \"dilation_rate\": [1, 1], \"activation\": \"linear\", \"use_bias\": true", ref("pad_tblr", 0)),
                layer("BatchNormalization", "bn_center_only", "\"axis\": [3], \"epsilon\": 0.001, \"center\": true, \"scale\": false", ref("dw", 0)),
                layer("PReLU", "prelu", "\"shared_axes\": [1, 2]", ref("bn_center_only", 0)),
                layer("MaxPooling2D", "pool", "\"pool_size\": [2, 2], \"strides\": null, \"padding\": \"same\", \"data_format\": \"channels_last\"", ref("prelu", 0)),
                layer("Flatten", "flat", "\"data_format\": \"channels_last\"", ref("pool", 0)),
                layer("Dropout", "drop", "\"rate\": 0.25", ref("flat", 0)),
                layer("Dense", "fc", "\"units\": 3, \"activation\": \"softmax\", \"use_bias\": true", ref("drop", 0)),
                layer("Reshape", "probs", "\"target_shape\": [3, 1]", ref("fc", 0)));
        Map<String, List<H5Weight>> ws = new LinkedHashMap<>();
        ws.put("conv", List.of(w("conv/kernel:0", 3, 3, 3, 4)));
        ws.put("bn_plain", List.of(w("bn_plain/moving_mean:0", 4), w("bn_plain/moving_variance:0", 4)));
        // a nested model's group: trainable weights of all inner layers, then the non-trainable ones
        ws.put("inner", List.of(w("inner_conv/kernel:0", 1, 1, 4, 4), w("inner_conv/bias:0", 4), w("inner_bn/gamma:0", 4),
                w("inner_bn/beta:0", 4), w("inner_bn/moving_mean:0", 4), w("inner_bn/moving_variance:0", 4)));
        ws.put("dw", List.of(w("dw/depthwise_kernel:0", 3, 3, 8, 1), w("dw/bias:0", 8)));
        ws.put("bn_center_only", List.of(w("bn_center_only/beta:0", 8), w("bn_center_only/moving_mean:0", 8),
                w("bn_center_only/moving_variance:0", 8)));
        ws.put("prelu", List.of(w("prelu/alpha:0", 1, 1, 8)));
        ws.put("fc", List.of(w("fc/kernel:0", 72, 3), w("fc/bias:0", 3)));
        ImportedKerasModel m = importH5(cfg, ws);
        Graph g = m.graph();

        assertThat(KerasFixtureImportTest.names(g)).containsExactly("img", "pad_int", "conv", "bn_plain", "lrelu", "inner_conv", "inner_bn",
                "relu6", "add", "cat", "pad_hw", "pad_tblr", "dw", "bn_center_only", "prelu", "pool", "flat", "drop", "fc", "probs");
        assertThat(g.layerNamed("pad_int").params()).isEqualTo(new ZeroPadding2D(1, 1, 1, 1));
        assertThat(g.layerNamed("pad_hw").params()).isEqualTo(new ZeroPadding2D(1, 1, 2, 2));
        assertThat(g.layerNamed("pad_tblr").params()).isEqualTo(new ZeroPadding2D(0, 1, 2, 0));
        assertThat(g.layerNamed("conv").params()).isEqualTo(new Conv2D(4, 3, 3, 1, 1, Padding.VALID, 1, 1, false, ActivationFn.LINEAR));
        assertThat(g.layerNamed("inner_conv").params()).isEqualTo(new Conv2D(4, 1, 1, 1, 1, Padding.VALID, 1, 1, true, ActivationFn.RELU6));
        assertThat(g.layerNamed("inner_bn").params()).isEqualTo(new BatchNormalization(0.002f));
        assertThat(g.layerNamed("lrelu").params()).isEqualTo(new LeakyReLU(0.1f));
        assertThat(g.layerNamed("relu6").params()).isEqualTo(new ReLU(6f, 0f, 0f));
        assertThat(g.layerNamed("pool").params()).isEqualTo(MaxPooling2D.of(2, 2, Padding.SAME));
        assertThat(g.layerNamed("drop").params()).isEqualTo(new Dropout(0.25f));
        assertThat(g.layerNamed("fc").params()).isEqualTo(new Dense(3, true, ActivationFn.SOFTMAX));
        assertThat(g.layerNamed("probs").params()).isEqualTo(Reshape.to(3, 1));

        // edges: the nested model is wired to what feeds its call and to what consumes it
        assertThat(inputNames(g, "inner_conv")).containsExactly("lrelu");
        assertThat(inputNames(g, "relu6")).containsExactly("inner_bn");
        assertThat(inputNames(g, "add")).containsExactly("lrelu", "relu6");
        assertThat(inputNames(g, "cat")).containsExactly("add", "relu6");
        assertThat(g.outputIds()).containsExactly(g.layerNamed("probs").id(), g.layerNamed("flat").id());
        assertThat(g.layerNamed("inner_conv").notes()).containsEntry("keras.nested_in", "inner");

        ShapeResult s = ShapeInference.infer(g);
        assertThat(s.shape(g.layerNamed("cat").id())).isEqualTo(TensorShape.hwc(8, 8, 8));
        assertThat(s.shape(g.layerNamed("pad_tblr").id())).isEqualTo(TensorShape.hwc(11, 14, 8));
        assertThat(s.shape(g.layerNamed("dw").id())).isEqualTo(TensorShape.hwc(5, 6, 8));
        assertThat(s.shape(g.layerNamed("probs").id())).isEqualTo(TensorShape.of(3, 1));

        // BatchNormalization without scale/center: gamma 1 and beta 0, noted for the export
        Layer plain = g.layerNamed("bn_plain");
        assertThat(plain.weights()).containsOnlyKeys("gamma", "beta", "moving_mean", "moving_variance");
        assertThat(plain.weight("gamma").data()).containsOnly(1f);
        assertThat(plain.weight("beta").data()).containsOnly(0f);
        assertThat(plain.weight("moving_mean").data()).containsExactly(ws.get("bn_plain").get(0).data());
        assertThat(plain.notes()).containsEntry("keras.center", "false").containsEntry("keras.scale", "false");
        Layer centerOnly = g.layerNamed("bn_center_only");
        assertThat(centerOnly.weight("gamma").data()).containsOnly(1f);
        assertThat(centerOnly.weight("beta").data()).containsExactly(ws.get("bn_center_only").get(0).data());
        // nested weights found by scope and variable name
        assertThat(g.layerNamed("inner_bn").weight("moving_variance").data()).containsExactly(ws.get("inner").get(5).data());
        assertThat(g.layerNamed("inner_conv").weight("bias").data()).containsExactly(ws.get("inner").get(1).data());
        assertThat(g.layerNamed("prelu").weight("alpha").shape()).containsExactly(1, 1, 8);
        assertThat(g.layerNamed("dw").weight("depthwise_kernel").data()).containsExactly(ws.get("dw").get(0).data());
    }

    @Test
    void nestedSequentialWeightsFallBackToKerasOrderWhenScopesDoNotNameTheLayers() throws Exception {
        // transfer-learning shape: Sequential([base, GlobalAveragePooling2D, Dense]) where base is a nested Sequential;
        // the base's variable scopes ("block_1/...") do not name its layers, so Keras' own order decides:
        // trainable weights of every inner layer first (kernel, bias, gamma, beta), then the moving statistics
        String base = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"base\", \"trainable\": true, \"layers\": ["
                + "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"c1\", \"trainable\": true, \"batch_input_shape\": [null, 8, 8, 1], "
                + "\"filters\": 2, \"kernel_size\": [3, 3], \"strides\": [1, 1], \"padding\": \"same\", \"activation\": \"linear\", \"use_bias\": true}}, "
                + "{\"class_name\": \"BatchNormalization\", \"config\": {\"name\": \"b1\", \"trainable\": true, \"axis\": -1, \"epsilon\": 0.001}}, "
                + "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"c2\", \"trainable\": true, \"filters\": 3, \"kernel_size\": [1, 1], "
                + "\"padding\": \"valid\", \"activation\": \"relu\", \"use_bias\": false}}]}}";
        String cfg = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"outer\", \"layers\": [" + base + ", "
                + "{\"class_name\": \"GlobalAveragePooling2D\", \"config\": {\"name\": \"gap\", \"trainable\": true}}, "
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"fc\", \"trainable\": true, \"units\": 2, \"activation\": \"softmax\", "
                + "\"use_bias\": true}}]}}";
        Map<String, List<H5Weight>> ws = new LinkedHashMap<>();
        ws.put("base", List.of(w("block_1/kernel:0", 3, 3, 1, 2), w("block_1/bias:0", 2), w("block_2/gamma:0", 2), w("block_2/beta:0", 2),
                w("block_3/kernel:0", 1, 1, 2, 3), w("block_2/moving_mean:0", 2), w("block_2/moving_variance:0", 2)));
        ws.put("fc", List.of(w("fc/kernel:0", 3, 2), w("fc/bias:0", 2)));
        ImportedKerasModel m = importH5(cfg, ws);
        Graph g = m.graph();
        assertThat(KerasFixtureImportTest.names(g)).containsExactly("base_input", "c1", "b1", "c2", "gap", "fc");
        assertThat(m.inputs().get(0).shape()).isEqualTo(TensorShape.hwc(8, 8, 1));
        assertThat(g.layerNamed("c1").weight("bias").data()).containsExactly(ws.get("base").get(1).data());
        assertThat(g.layerNamed("b1").weight("beta").data()).containsExactly(ws.get("base").get(3).data());
        assertThat(g.layerNamed("c2").weight("kernel").data()).containsExactly(ws.get("base").get(4).data());
        assertThat(g.layerNamed("b1").weight("moving_mean").data()).containsExactly(ws.get("base").get(5).data());
        assertThat(g.layerNamed("b1").weight("moving_variance").data()).containsExactly(ws.get("base").get(6).data());
        assertThat(g.layerNamed("c1").notes()).containsEntry("keras.nested_in", "base");
    }

    @Test
    void activationHelpersOfExportedScriptsImportBack() throws Exception {
        // a model trained with K210 Studio's script saves its helper activations by function name
        String cfg = functional("m", "[[\"x\", 0, 0]]", "[[\"b\", 0, 0]]",
                layer("InputLayer", "x", "\"batch_input_shape\": [null, 4]"),
                layer("Dense", "a", "\"units\": 3, \"activation\": \"leaky_relu_0_1\", \"use_bias\": false", ref("x", 0)),
                layer("Dense", "b", "\"units\": 2, \"activation\": \"hard_swish\", \"use_bias\": false", ref("a", 0)));
        Map<String, List<H5Weight>> ws = new LinkedHashMap<>();
        ws.put("a", List.of(w("a/kernel:0", 4, 3)));
        ws.put("b", List.of(w("b/kernel:0", 3, 2)));
        Graph g = importH5(cfg, ws).graph();
        assertThat(g.layerNamed("a").params()).isEqualTo(new Dense(3, false, ActivationFn.leakyRelu(0.1f)));
        assertThat(g.layerNamed("b").params()).isEqualTo(new Dense(2, false, ActivationFn.of(ActivationFn.Kind.HARD_SWISH)));
    }

    @Test
    void olderSequentialForms() throws Exception {
        Map<String, List<H5Weight>> ws = new LinkedHashMap<>();
        ws.put("fc", List.of(w("fc/kernel:0", 6, 2), w("fc/bias:0", 2)));
        // Keras <= 2.2.2: the Sequential config is the bare layer list
        String list = "{\"class_name\": \"Sequential\", \"config\": ["
                + "{\"class_name\": \"Flatten\", \"config\": {\"name\": \"flat\", \"batch_input_shape\": [null, 2, 3]}}, "
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"fc\", \"units\": 2, \"activation\": \"softmax\", \"use_bias\": true}}]}";
        Graph a = importH5(list, ws).graph();
        assertThat(KerasFixtureImportTest.names(a)).containsExactly("flat_input", "flat", "fc");
        assertThat(a.layerNamed("flat_input").params()).isEqualTo(new Input(TensorShape.of(2, 3)));
        // tf.keras model.build((None, 2, 3)) without an Input: the shape is the Sequential's build_input_shape
        String built = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
                + "{\"class_name\": \"Flatten\", \"config\": {\"name\": \"flat\"}}, "
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"fc\", \"units\": 2, \"activation\": \"softmax\", \"use_bias\": true}}], "
                + "\"build_input_shape\": [null, 2, 3]}}";
        Graph b = importH5(built, ws).graph();
        assertThat(KerasFixtureImportTest.names(b)).containsExactly("flat_input", "flat", "fc");
        assertThat(b.layerNamed("fc").weight("kernel").data()).containsExactly(ws.get("fc").get(0).data());
        // neither: a clear message
        String unbuilt = built.replace(", \"build_input_shape\": [null, 2, 3]", "");
        assertThatThrownBy(() -> importH5(unbuilt, ws)).isInstanceOf(KerasImportException.class)
                .hasMessageContaining("does not say its input shape");
    }

    @Test
    void sharedLayerBecomesOneLayerPerCallWithTheSameWeights() throws Exception {
        String cfg = functional("shared", "[[\"a\", 0, 0], [\"b\", 0, 0]]", "[[\"sum\", 0, 0]]",
                layer("InputLayer", "a", "\"batch_input_shape\": [null, 4]"),
                layer("InputLayer", "b", "\"batch_input_shape\": [null, 4]"),
                layer("Dense", "fc", "\"units\": 2, \"activation\": \"tanh\", \"use_bias\": true", ref("a", 0), ref("b", 0)),
                layer("Subtract", "sum", "", ref("fc", 0) + ", " + ref("fc", 1)));
        Map<String, List<H5Weight>> ws = new LinkedHashMap<>();
        ws.put("fc", List.of(w("fc/kernel:0", 4, 2), w("fc/bias:0", 2)));
        Graph g = importH5(cfg, ws).graph();
        assertThat(KerasFixtureImportTest.names(g)).containsExactly("a", "b", "fc", "fc_1", "sum");
        assertThat(inputNames(g, "sum")).containsExactly("fc", "fc_1");
        assertThat(inputNames(g, "fc_1")).containsExactly("b");
        assertThat(g.layerNamed("fc_1").weights()).isEqualTo(g.layerNamed("fc").weights());
        assertThat(g.inputIds()).containsExactly(g.layerNamed("a").id(), g.layerNamed("b").id());
    }

    @Test
    void lambdaCustomAndTfOpLayersAreRefusedNamingLayerAndClass() {
        String lambda = functional("m", "[[\"x\", 0, 0]]", "[[\"scale_it\", 0, 0]]",
                layer("InputLayer", "x", "\"batch_input_shape\": [null, 4, 4, 1]"),
                layer("Lambda", "scale_it", "\"function\": \"4wEAAAAAAAAA\"", ref("x", 0)));
        assertThatThrownBy(() -> importH5(lambda, Map.of())).isInstanceOf(KerasImportException.class)
                .hasMessageContaining("'scale_it' (Lambda)").hasMessageContaining("Python code");
        String custom = functional("m", "[[\"x\", 0, 0]]", "[[\"mine\", 0, 0]]",
                layer("InputLayer", "x", "\"batch_input_shape\": [null, 4, 4, 1]"),
                layer("MyAttention", "mine", "", ref("x", 0)));
        assertThatThrownBy(() -> importH5(custom, Map.of())).isInstanceOf(KerasImportException.class)
                .hasMessageContaining("'mine' (MyAttention)").hasMessageContaining("not in the K210 layer set");
        String tfop = functional("m", "[[\"x\", 0, 0]]", "[[\"tf.nn.relu6\", 0, 0]]",
                layer("InputLayer", "x", "\"batch_input_shape\": [null, 4, 4, 1]"),
                layer("TFOpLambda", "tf.nn.relu6", "\"function\": \"nn.relu6\"", ref("x", 0)));
        assertThatThrownBy(() -> importH5(tfop, Map.of())).isInstanceOf(KerasImportException.class)
                .hasMessageContaining("(TFOpLambda)").hasMessageContaining("nn.relu6").hasMessageContaining("layers.ReLU(6.)");
    }

    @Test
    void unsupportedSettingsAreRefusedWithTheFix() {
        String gelu = functional("m", "[[\"x\", 0, 0]]", "[[\"fc\", 0, 0]]",
                layer("InputLayer", "x", "\"batch_input_shape\": [null, 4]"),
                layer("Dense", "fc", "\"units\": 2, \"activation\": \"gelu\", \"use_bias\": false", ref("x", 0)));
        assertThatThrownBy(() -> importH5(gelu, Map.of("fc", List.of(w("fc/kernel:0", 4, 2)))))
                .isInstanceOf(KerasImportException.class).hasMessageContaining("'fc' (Dense)").hasMessageContaining("'gelu'");
        String nchw = functional("m", "[[\"x\", 0, 0]]", "[[\"p\", 0, 0]]",
                layer("InputLayer", "x", "\"batch_input_shape\": [null, 3, 8, 8]"),
                layer("MaxPooling2D", "p", "\"pool_size\": [2, 2], \"data_format\": \"channels_first\"", ref("x", 0)));
        assertThatThrownBy(() -> importH5(nchw, Map.of())).isInstanceOf(KerasImportException.class)
                .hasMessageContaining("'p' (MaxPooling2D)").hasMessageContaining("channels_last");
        String dynamic = functional("m", "[[\"x\", 0, 0]]", "[[\"p\", 0, 0]]",
                layer("InputLayer", "x", "\"batch_input_shape\": [null, null, null, 3]"),
                layer("MaxPooling2D", "p", "\"pool_size\": [2, 2]", ref("x", 0)));
        assertThatThrownBy(() -> importH5(dynamic, Map.of())).isInstanceOf(KerasImportException.class)
                .hasMessageContaining("'x'").hasMessageContaining("fixed input size");
        String dangling = functional("m", "[[\"x\", 0, 0]]", "[[\"p\", 0, 0]]",
                layer("InputLayer", "x", "\"batch_input_shape\": [null, 4, 4, 3]"),
                layer("MaxPooling2D", "p", "\"pool_size\": [2, 2]", ref("nowhere", 0)));
        assertThatThrownBy(() -> importH5(dangling, Map.of())).isInstanceOf(KerasImportException.class)
                .hasMessageContaining("'nowhere'");
    }

    @Test
    void missingOrMisshapenWeightsAreRefusedNamingTheLayer() {
        String cfg = functional("m", "[[\"x\", 0, 0]]", "[[\"fc\", 0, 0]]",
                layer("InputLayer", "x", "\"batch_input_shape\": [null, 4]"),
                layer("Dense", "fc", "\"units\": 2, \"activation\": \"linear\", \"use_bias\": true", ref("x", 0)));
        assertThatThrownBy(() -> importH5(cfg, Map.of("fc", List.of(w("fc/kernel:0", 4, 2)))))
                .isInstanceOf(KerasImportException.class).hasMessageContaining("'fc' (Dense)").hasMessageContaining("[kernel, bias]");
        assertThatThrownBy(() -> importH5(cfg, Map.of("fc", List.of(w("fc/kernel:0", 5, 2), w("fc/bias:0", 2)))))
                .isInstanceOf(KerasImportException.class).hasMessageContaining("[5, 2]").hasMessageContaining("[4, 2]");
    }

    @Test
    void notAKerasFileIsRefusedWithWhatItIs() throws Exception {
        byte[] tflite = Files.readAllBytes(k210studio.testing.SharedFixtures.fixture("tflite/nncase_iris.tflite"));
        assertThatThrownBy(() -> KerasImporter.importBytes(tflite, "iris.tflite")).isInstanceOf(KerasImportException.class)
                .hasMessageContaining("TensorFlow Lite");
        assertThatThrownBy(() -> KerasImporter.importBytes(new byte[0], "empty.h5")).isInstanceOf(KerasImportException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> KerasImporter.importFile(tmp.resolve("absent.h5"))).isInstanceOf(KerasImportException.class)
                .hasMessageContaining("not found");
    }

    private static List<String> inputNames(Graph g, String layer) {
        return g.inputsOf(g.layerNamed(layer).id()).stream().map(id -> g.layer(id).name()).toList();
    }
}
