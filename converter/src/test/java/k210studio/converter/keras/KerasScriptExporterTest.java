package k210studio.converter.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.*;
import k210studio.ir.project.ChannelOrder;
import k210studio.ir.project.Preprocessing;
import k210studio.ir.project.Project;
import k210studio.ir.samples.SampleNetworks;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.shape.ShapeResult;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported training script: valid Python ({@code python3 -m py_compile}), and it declares the
 * design's layers, order, inputs, shapes and padding. The declaration is checked two ways: the
 * machine-readable summary comment is parsed back and compared with the design and its shape
 * inference, and {@code build_model()} is executed by python3 against a small recording stand-in
 * for the {@code tensorflow} package (TensorFlow itself is not installed here), whose recorded
 * layer calls are turned back into IR parameters and compared with the design. Python tests are
 * skipped with a message when python3 is absent.
 */
class KerasScriptExporterTest {
    @TempDir
    Path tmp;

    /** A stand-in "tensorflow" package that records every layer a script builds (class, args, kwargs, inputs). */
    static final String STUB = """
            import json, sys, types
            RECORD = []
            MODELS = []
            class _T:
                def __init__(self, name):
                    self.name = name
            def _ser(v):
                if isinstance(v, (list, tuple)):
                    return [_ser(x) for x in v]
                if isinstance(v, dict):
                    return {k: _ser(x) for k, x in v.items()}
                if callable(v):
                    return "fn:" + getattr(v, "__name__", "?")
                return v
            class _Layer:
                def __init__(self, cls, args, kwargs):
                    self.cls, self.args, self.kwargs = cls, args, kwargs
                def __call__(self, x):
                    ins = x if isinstance(x, list) else [x]
                    RECORD.append({"class": self.cls, "args": _ser(self.args), "kwargs": _ser(self.kwargs),
                                   "inputs": [t.name for t in ins]})
                    return _T(self.kwargs.get("name"))
            class _Layers:
                def __getattr__(self, cls):
                    return lambda *a, **k: _Layer(cls, a, k)
            class _Sequential:
                def __init__(self, name=None):
                    self.prev = None
                    MODELS.append({"kind": "Sequential", "name": name})
                def add(self, x):
                    self.prev = x if isinstance(x, _T) else x(self.prev)
            def _input(shape, name=None):
                RECORD.append({"class": "InputLayer", "args": [list(shape)], "kwargs": {"name": name}, "inputs": []})
                return _T(name)
            def _model(inputs, outputs, name=None):
                MODELS.append({"kind": "Functional", "name": name, "inputs": [t.name for t in inputs],
                               "outputs": [t.name for t in outputs]})
                return None
            keras = types.ModuleType("tensorflow.keras")
            keras.layers = _Layers()
            keras.Input = _input
            keras.Sequential = _Sequential
            keras.Model = _model
            def relu6(x):
                return x
            def leaky_relu(x, alpha=0.2):
                return x
            nn = types.SimpleNamespace(relu6=relu6, leaky_relu=leaky_relu)
            sys.modules["tensorflow.keras"] = keras
            """;

    static final String DRIVER = """
            import importlib.util, json, sys
            sys.path.insert(0, sys.argv[1])
            spec = importlib.util.spec_from_file_location("train", sys.argv[2])
            m = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(m)
            m.build_model()
            import tensorflow
            print(json.dumps({"layers": tensorflow.RECORD, "models": tensorflow.MODELS}))
            """;

    @Test
    void briefSampleExportsAsValidPythonDeclaringTheSameLayersShapesAndPadding() throws Exception {
        Project project = SampleNetworks.briefTwoClassProject();
        Graph g = project.graph();
        String script = KerasScriptExporter.export(project);
        Path file = tmp.resolve("train.py");
        Files.writeString(file, script, StandardCharsets.UTF_8);

        assertSummaryMatchesDesign(script, g);
        // K210-friendly padding kept explicit: ZeroPadding2D((1, 1), (1, 1)) + 'valid' stride-2 convs, no 'same' stride 2
        assertThat(script).contains("layers.ZeroPadding2D(padding=((1, 1), (1, 1))");
        assertThat(script).contains("layers.Conv2D(32, (3, 3), strides=(2, 2), padding=\"valid\"");
        assertThat(script).doesNotContain("strides=(2, 2), padding=\"same\"");
        assertThat(script).contains("keras.Sequential(").contains("model.fit(").contains("image_dataset_from_directory")
                .contains("image_size=(240, 320)").contains("TFLiteConverter.from_keras_model").contains("args.out + \".h5\"")
                .contains("\"categorical_crossentropy\"").contains("CLASS_NAMES = [\"negative\", \"positive\"]")
                .contains("INPUT_SCALE = 0.003921569").contains("MEAN = [0.0]").contains("STD = [1.0]");

        assumeTrue(python() != null, "python3 is not installed: py_compile and the layer read-back are skipped");
        assertPyCompiles(file);
        JsonNode rec = runBuildModel(file);
        assertThat(rec.get("models").get(0).get("kind").asText()).isEqualTo("Sequential");
        assertRecordedLayersEqualDesign(rec.get("layers"), g);
    }

    @Test
    void branchingDesignUsesTheFunctionalApiWithInputsInOrder() throws Exception {
        Graph g = new Graph("two_branch");
        String in = g.add("image", new Input(TensorShape.hwc(32, 32, 3)));
        String pad = g.add("pad", ZeroPadding2D.symmetric(1), in);
        String a = g.add("conv_a", new Conv2D(8, 3, 3, 2, 2, Padding.VALID, 1, 1, true, ActivationFn.RELU6), pad);
        String b = g.add("conv_b", new Conv2D(8, 3, 3, 2, 2, Padding.VALID, 1, 1, false, ActivationFn.leakyRelu(0.1f)), pad);
        String sum = g.add("sum", new Add(), a, b);
        String cat = g.add("cat", Concatenate.channels(), sum, a);
        String dw = g.add("dw", new DepthwiseConv2D(3, 3, 1, 1, Padding.SAME, 2, 1, 1, true, ActivationFn.LINEAR), cat);
        String bn = g.add("bn", new BatchNormalization(1e-3f), dw);
        g.replaceLayer(g.layer(bn).withNotes(Map.of("keras.center", "false")));
        String pr = g.add("prelu", new PReLU(), bn);
        String up = g.add("up", new UpSampling2D(2, 2, Interpolation.NEAREST), pr);
        String rs = g.add("resize", new Resizing(20, 24, Interpolation.BILINEAR, false, true), up);
        String gap = g.add("gap", new GlobalAveragePooling2D(false), rs);
        g.add("out", new Dense(1, true, ActivationFn.SIGMOID), gap);
        Preprocessing bgr = new Preprocessing(List.of(104f, 117f, 123f), List.of(1f), ChannelOrder.BGR, 1f);
        String script = KerasScriptExporter.export(g, bgr, List.of());
        Path file = tmp.resolve("branch.py");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        assertSummaryMatchesDesign(script, g);
        assertThat(script).contains("keras.Model(inputs=[x_image], outputs=[x_out]").contains("\"binary_crossentropy\"")
                .contains("CHANNEL_ORDER = \"BGR\"").contains("MEAN = [104.0, 117.0, 123.0]").contains("center=False")
                .contains("def leaky_relu_0_1(x)").contains("activation=tf.nn.relu6");

        assumeTrue(python() != null, "python3 is not installed: py_compile and the layer read-back are skipped");
        assertPyCompiles(file);
        JsonNode rec = runBuildModel(file);
        JsonNode model = rec.get("models").get(0);
        assertThat(model.get("kind").asText()).isEqualTo("Functional");
        assertThat(model.get("inputs").get(0).asText()).isEqualTo("image");
        assertRecordedLayersEqualDesign(rec.get("layers"), g);
    }

    @Test
    void importedMobilenetExportsAndReadsBackLayerForLayer() throws Exception {
        Graph g = KerasImporter.importFile(KerasFixtureImportTest.MBNET).graph();
        String script = KerasScriptExporter.export(g, new Preprocessing(List.of(1f), List.of(1f), ChannelOrder.RGB, 1f / 127.5f), List.of());
        Path file = tmp.resolve("mbnet.py");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        assertSummaryMatchesDesign(script, g);
        assertThat(script).contains("layers.ZeroPadding2D(padding=((0, 1), (0, 1)), name=\"conv_pad_2\")")
                .contains("layers.GlobalAveragePooling2D(keepdims=True").contains("layers.Reshape((1000,)");
        assumeTrue(python() != null, "python3 is not installed: py_compile and the layer read-back are skipped");
        assertPyCompiles(file);
        assertRecordedLayersEqualDesign(runBuildModel(file).get("layers"), g);
    }

    @Test
    void everyLayerKindExportsAndReadsBack() throws Exception {
        Graph g = new Graph("every_kind");
        String in = g.add("input_1", new Input(TensorShape.hwc(16, 12, 3)));
        String c = g.add("conv2d", new Conv2D(8, 3, 5, 2, 1, Padding.SAME, 1, 2, true, ActivationFn.leakyRelu(0.125f)), in);
        String dw = g.add("depthwise_conv2d", new DepthwiseConv2D(3, 3, 1, 1, Padding.VALID, 2, 1, 1, false, ActivationFn.RELU6), c);
        String sep = g.add("separable_conv2d", new SeparableConv2D(8, 3, 3, 1, 1, Padding.SAME, 1, true, ActivationFn.LINEAR), dw);
        String tr = g.add("conv2d_transpose", new Conv2DTranspose(4, 2, 2, 2, 2, Padding.VALID, true,
                ActivationFn.of(ActivationFn.Kind.HARD_SWISH)), sep);
        String zp = g.add("zero_padding2d", new ZeroPadding2D(0, 1, 2, 3), tr);
        String bn = g.add("batch_normalization", new BatchNormalization(1.001e-3f), zp);
        String act = g.add("activation", new Activation(ActivationFn.leakyRelu(0.2f)), bn);
        String relu = g.add("re_lu", ReLU.plain(), act);
        String relu6 = g.add("re_lu_1", new ReLU(6f, 0.1f, 0.5f), relu);
        String leaky = g.add("leaky_re_lu", new LeakyReLU(0.3f), relu6);
        String prelu = g.add("p_re_lu", new PReLU(), leaky);
        String mp = g.add("max_pooling2d", new MaxPooling2D(2, 3, 2, 1, Padding.SAME), prelu);
        String ap = g.add("average_pooling2d", AveragePooling2D.of(2, 2, Padding.VALID), mp);
        String up = g.add("up_sampling2d", new UpSampling2D(2, 3, Interpolation.BILINEAR), ap);
        String gap = g.add("global_average_pooling2d", new GlobalAveragePooling2D(true), up);
        String gmp = g.add("global_max_pooling2d", new GlobalMaxPooling2D(false), up);
        String fl = g.add("flatten", new Flatten(), gap);
        String cat = g.add("concatenate", new Concatenate(-1), gmp, fl);
        String add = g.add("add", new Add(), cat, cat);
        String sub = g.add("subtract", new Subtract(), add, cat);
        String mul = g.add("multiply", new Multiply(), sub, add, cat);
        String dense = g.add("dense", new Dense(6, true, ActivationFn.of(ActivationFn.Kind.SIGMOID)), mul);
        String resh = g.add("reshape", Reshape.to(2, -1), dense);
        String drop = g.add("dropout", new Dropout(0.25f), resh);
        String sm = g.add("softmax", new Softmax(-1), drop);
        String extra = g.add("dense_1", new Dense(2, false, ActivationFn.TANH), mul);
        g.setOutputs(List.of(sm, extra));
        String script = KerasScriptExporter.export(g, Preprocessing.unit(), List.of());
        Path file = tmp.resolve("every.py");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        assertSummaryMatchesDesign(script, g);
        assertThat(script).contains("def hard_swish(x)").contains("def leaky_relu_0_125(x)").contains("outputs=[x_softmax, x_dense_1]")
                .contains("layers.Conv2D(8, (3, 5), strides=(2, 1), padding=\"same\", dilation_rate=(1, 2)");
        assumeTrue(python() != null, "python3 is not installed: py_compile and the layer read-back are skipped");
        assertPyCompiles(file);
        JsonNode rec = runBuildModel(file);
        assertRecordedLayersEqualDesign(rec.get("layers"), g);
        assertThat(rec.get("models").get(0).get("outputs").toString()).isEqualTo("[\"softmax\",\"dense_1\"]");
    }

    @Test
    void nonImageDesignStillGivesValidPythonWithADataPipelineToFillIn() throws Exception {
        Graph g = new Graph("iris");
        String in = g.add("features", new Input(TensorShape.of(4)));
        String h = g.add("hidden", new Dense(10, true, ActivationFn.RELU), in);
        g.add("species", new Dense(3, true, ActivationFn.SOFTMAX), h);
        String script = KerasScriptExporter.export(g, Preprocessing.unit(), List.of("setosa", "versicolor", "virginica"));
        Path file = tmp.resolve("iris.py");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        assertSummaryMatchesDesign(script, g);
        assertThat(script).contains("keras.Input(shape=(4,), name=\"features\")").contains("is not an image; write your own data pipeline")
                .doesNotContain("image_dataset_from_directory");
        assumeTrue(python() != null, "python3 is not installed: py_compile and the layer read-back are skipped");
        assertPyCompiles(file);
        assertRecordedLayersEqualDesign(runBuildModel(file).get("layers"), g);
    }

    @Test
    void incompleteDesignIsRefused() {
        Graph g = new Graph("broken");
        g.add("fc", new Dense(2, true, ActivationFn.LINEAR));
        assertThatThrownBy(() -> KerasScriptExporter.export(g, Preprocessing.unit(), List.of()))
                .isInstanceOf(KerasExportException.class).hasMessageContaining("not a complete network");
    }

    // ------------------------------------------------------------------ checks

    /** The summary comment lists every layer in topological order with its inputs, the shape inference's output shape and its parameters. */
    static void assertSummaryMatchesDesign(String script, Graph g) {
        List<String[]> rows = new ArrayList<>();
        boolean in = false;
        for (String line : script.split("\n")) {
            if (line.equals(KerasScriptExporter.SUMMARY_BEGIN)) {
                in = true;
            } else if (line.equals(KerasScriptExporter.SUMMARY_END)) {
                break;
            } else if (in && line.startsWith("# layer | ") && !line.startsWith("# layer | name |")) {
                rows.add(line.substring("# layer | ".length()).split(" \\| ", -1));
            }
        }
        ShapeResult shapes = ShapeInference.infer(g);
        List<String> order = g.topologicalOrder();
        assertThat(rows).hasSize(order.size());
        for (int i = 0; i < order.size(); i++) {
            Layer l = g.layer(order.get(i));
            String[] r = rows.get(i);
            assertThat(r[0]).isEqualTo(l.name());
            assertThat(r[1]).isEqualTo(l.params().kerasName());
            List<String> ins = g.inputsOf(l.id()).stream().map(id -> g.layer(id).name()).toList();
            assertThat(r[2]).isEqualTo(String.join(",", ins));
            assertThat(r[3]).isEqualTo(KerasScriptExporter.shapeText(shapes.shape(l.id())));
            assertThat(r[4]).isEqualTo(l.params().toString());
        }
    }

    /** The layers build_model() created, turned back into IR parameters, equal the design's, with the same names and inputs. */
    static void assertRecordedLayersEqualDesign(JsonNode recorded, Graph g) {
        List<String> order = g.topologicalOrder();
        assertThat(recorded).hasSize(order.size());
        for (int i = 0; i < order.size(); i++) {
            Layer l = g.layer(order.get(i));
            JsonNode r = recorded.get(i);
            assertThat(r.get("kwargs").get("name").asText()).isEqualTo(l.name());
            assertThat(r.get("class").asText()).isEqualTo(l.params().kerasName());
            List<String> ins = g.inputsOf(l.id()).stream().map(id -> g.layer(id).name()).toList();
            List<String> recIns = new ArrayList<>();
            r.get("inputs").forEach(n -> recIns.add(n.asText()));
            assertThat(recIns).as("inputs of %s", l.name()).isEqualTo(ins);
            assertThat(paramsOf(r)).as("layer %s", l.name()).isEqualTo(l.params());
        }
    }

    /** Reads a recorded Keras layer call back into IR parameters (Keras defaults where an argument is left out). */
    static LayerParams paramsOf(JsonNode r) {
        String cls = r.get("class").asText();
        JsonNode a = r.get("args");
        JsonNode k = r.get("kwargs");
        switch (cls) {
            case "InputLayer": return new Input(new TensorShape(ints(a.get(0))));
            case "Conv2D": return new Conv2D(a.get(0).asInt(), a.get(1).get(0).asInt(), a.get(1).get(1).asInt(),
                    k.get("strides").get(0).asInt(), k.get("strides").get(1).asInt(), pad(k), dil(k, 0), dil(k, 1),
                    k.get("use_bias").asBoolean(), act(k.get("activation")));
            case "DepthwiseConv2D": return new DepthwiseConv2D(a.get(0).get(0).asInt(), a.get(0).get(1).asInt(),
                    k.get("strides").get(0).asInt(), k.get("strides").get(1).asInt(), pad(k), k.get("depth_multiplier").asInt(),
                    dil(k, 0), dil(k, 1), k.get("use_bias").asBoolean(), act(k.get("activation")));
            case "ZeroPadding2D": {
                JsonNode p = k.get("padding");
                return new ZeroPadding2D(p.get(0).get(0).asInt(), p.get(0).get(1).asInt(), p.get(1).get(0).asInt(), p.get(1).get(1).asInt());
            }
            case "BatchNormalization": return new BatchNormalization((float) k.get("epsilon").asDouble());
            case "ReLU": return new ReLU(k.has("max_value") ? (float) k.get("max_value").asDouble() : null,
                    (float) k.path("negative_slope").asDouble(0), (float) k.path("threshold").asDouble(0));
            case "Activation": return new Activation(act(a.get(0)));
            case "Flatten": return new Flatten();
            case "Dropout": return new Dropout((float) a.get(0).asDouble());
            case "Dense": return new Dense(a.get(0).asInt(), k.get("use_bias").asBoolean(), act(k.get("activation")));
            case "GlobalAveragePooling2D": return new GlobalAveragePooling2D(k.path("keepdims").asBoolean(false));
            case "Reshape": return new Reshape(new TensorShape(ints(a.get(0))), false);
            case "Add": return new Add();
            case "Concatenate": return new Concatenate(k.get("axis").asInt());
            case "PReLU": return new PReLU();
            case "UpSampling2D": return new UpSampling2D(k.get("size").get(0).asInt(), k.get("size").get(1).asInt(),
                    Interpolation.valueOf(k.get("interpolation").asText().toUpperCase()));
            case "Resizing": return new Resizing(a.get(0).asInt(), a.get(1).asInt(),
                    Interpolation.valueOf(k.get("interpolation").asText().toUpperCase()), false, true);
            case "SeparableConv2D": return new SeparableConv2D(a.get(0).asInt(), a.get(1).get(0).asInt(), a.get(1).get(1).asInt(),
                    k.get("strides").get(0).asInt(), k.get("strides").get(1).asInt(), pad(k), k.get("depth_multiplier").asInt(),
                    k.get("use_bias").asBoolean(), act(k.get("activation")));
            case "Conv2DTranspose": return new Conv2DTranspose(a.get(0).asInt(), a.get(1).get(0).asInt(), a.get(1).get(1).asInt(),
                    k.get("strides").get(0).asInt(), k.get("strides").get(1).asInt(), pad(k), k.get("use_bias").asBoolean(),
                    act(k.get("activation")));
            case "MaxPooling2D": return new MaxPooling2D(k.get("pool_size").get(0).asInt(), k.get("pool_size").get(1).asInt(),
                    k.get("strides").get(0).asInt(), k.get("strides").get(1).asInt(), pad(k));
            case "AveragePooling2D": return new AveragePooling2D(k.get("pool_size").get(0).asInt(), k.get("pool_size").get(1).asInt(),
                    k.get("strides").get(0).asInt(), k.get("strides").get(1).asInt(), pad(k));
            case "GlobalMaxPooling2D": return new GlobalMaxPooling2D(k.path("keepdims").asBoolean(false));
            case "LeakyReLU": return new LeakyReLU((float) a.get(0).asDouble());
            case "Subtract": return new Subtract();
            case "Multiply": return new Multiply();
            case "Softmax": return new Softmax(k.get("axis").asInt());
            default: throw new AssertionError("no read-back for " + cls);
        }
    }

    private static Padding pad(JsonNode k) {
        return Padding.valueOf(k.get("padding").asText().toUpperCase());
    }

    private static int dil(JsonNode k, int i) {
        return k.has("dilation_rate") ? k.get("dilation_rate").get(i).asInt() : 1;
    }

    private static ActivationFn act(JsonNode n) {
        if (n == null) {
            return ActivationFn.LINEAR;
        }
        String s = n.asText();
        if (s.startsWith("fn:leaky_relu_")) {
            return ActivationFn.leakyRelu(Float.parseFloat(s.substring("fn:leaky_relu_".length()).replace('_', '.')));
        }
        return ActivationFn.of(ActivationFn.Kind.fromKeras(s.startsWith("fn:") ? s.substring(3) : s));
    }

    private static int[] ints(JsonNode n) {
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asInt();
        }
        return out;
    }

    // ------------------------------------------------------------------ python

    static String python() {
        for (String p : new String[] {"python3", "/usr/bin/python3"}) {
            try {
                Process pr = new ProcessBuilder(p, "--version").redirectErrorStream(true).start();
                if (pr.waitFor(20, TimeUnit.SECONDS) && pr.exitValue() == 0) {
                    return p;
                }
            } catch (IOException | InterruptedException e) {
                // try the next
            }
        }
        return null;
    }

    static void assertPyCompiles(Path file) throws Exception {
        Result r = run(python(), "-m", "py_compile", file.toString());
        assertThat(r.code).as("py_compile output: %s", r.out).isZero();
    }

    JsonNode runBuildModel(Path script) throws Exception {
        Path stub = tmp.resolve("stub");
        Files.createDirectories(stub.resolve("tensorflow"));
        Files.writeString(stub.resolve("tensorflow/__init__.py"), STUB);
        Path driver = tmp.resolve("driver.py");
        Files.writeString(driver, DRIVER);
        Result r = run(python(), driver.toString(), stub.toString(), script.toString());
        assertThat(r.code).as("build_model() under the recording stub: %s", r.out).isZero();
        String[] lines = r.out.trim().split("\n");
        return KerasTestFiles.JSON.readTree(lines[lines.length - 1]);
    }

    record Result(int code, String out) {
    }

    static Result run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("python timed out: " + String.join(" ", cmd));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
