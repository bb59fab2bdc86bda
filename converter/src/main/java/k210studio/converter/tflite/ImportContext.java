package k210studio.converter.tflite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ReLU;
import k210studio.ir.tensor.Tensor;

/**
 * The state of one import shared by the operator importers: which graph layer produces each
 * TFLite tensor, the constants (from the file or folded during import), the graph being built
 * and the diagnostics.
 */
public final class ImportContext {
    private final TfliteModelFile model;
    private final Graph graph;
    private final Map<Integer, String> producer = new HashMap<>();
    private final Map<Integer, ConstTensor> constants = new HashMap<>();
    private final List<ImportDiagnostic> diagnostics = new ArrayList<>();
    /** TFLite tensor index behind each layer's output (for the final shape cross-check). */
    private final Map<String, Integer> layerTensor = new LinkedHashMap<>();
    /** Where folded constants came from ("FLOAT16 (dequantized to float)"), for display. */
    private final Map<Integer, String> constantOrigin = new HashMap<>();

    ImportContext(TfliteModelFile model, Graph graph) {
        this.model = model;
        this.graph = graph;
    }

    public TfliteModelFile model() {
        return model;
    }

    public Graph graph() {
        return graph;
    }

    public TfliteTensor tensor(int index) {
        return model.tensor(index);
    }

    public void diagnostic(ImportDiagnostic d) {
        diagnostics.add(d);
    }

    List<ImportDiagnostic> diagnostics() {
        return diagnostics;
    }

    Map<String, Integer> layerTensors() {
        return layerTensor;
    }

    // ------------------------------------------------------------ values

    public boolean isConstant(int index) {
        return index >= 0 && (constants.containsKey(index) || (model.tensor(index).isConstant() && !producer.containsKey(index)));
    }

    /** True when the tensor has a value: a constant or the output of an imported layer. */
    public boolean isAvailable(int index) {
        return index >= 0 && (producer.containsKey(index) || isConstant(index));
    }

    /** The constant value of a tensor (decoded and cached). */
    public ConstTensor constant(int index) throws UnsupportedOpException {
        ConstTensor c = constants.get(index);
        if (c == null) {
            c = TensorDecoder.decode(model.tensor(index));
            constants.put(index, c);
        }
        return c;
    }

    /** The constant at an input port, or an error naming what it should be. */
    public ConstTensor requireConstant(TfliteOp op, int port, String what) throws UnsupportedOpException {
        int t = op.input(port);
        if (t < 0) {
            throw new UnsupportedOpException(op.label() + " has no " + what + " (input " + port + ")");
        }
        if (!isConstant(t)) {
            throw new UnsupportedOpException(op.label() + ": the " + what + " '" + tensor(t).name()
                    + "' is computed at run time; only constant " + what + "s can be imported");
        }
        return constant(t);
    }

    /** The constant at an optional input port, or null when the port is omitted. */
    public ConstTensor optionalConstant(TfliteOp op, int port, String what) throws UnsupportedOpException {
        return op.input(port) < 0 ? null : requireConstant(op, port, what);
    }

    /** The layer producing the activation at an input port. */
    public String activation(TfliteOp op, int port) throws UnsupportedOpException {
        int t = op.input(port);
        if (t < 0) {
            throw new UnsupportedOpException(op.label() + " has no input " + port);
        }
        String id = producer.get(t);
        if (id == null) {
            if (isConstant(t)) {
                throw new UnsupportedOpException(op.label() + " takes the constant '" + tensor(t).name()
                        + "' where the layer catalog needs a computed input");
            }
            throw new UnsupportedOpException(op.label() + ": input '" + tensor(t).name() + "' has no producer");
        }
        return id;
    }

    public void noteConstantOrigin(int index, String origin) {
        constantOrigin.put(index, origin);
    }

    public void bindConstant(int index, ConstTensor c) {
        constants.put(index, c);
    }

    /** Makes a tensor an alias of a layer's output (ops that do not change values in float: QUANTIZE ...). */
    public void alias(int index, String layerId) {
        producer.put(index, layerId);
    }

    public void bindOutput(TfliteOp op, String layerId) throws UnsupportedOpException {
        if (op.outputs().length < 1) {
            throw new UnsupportedOpException(op.label() + " has no output");
        }
        producer.put(op.outputs()[0], layerId);
        layerTensor.put(layerId, op.outputs()[0]);
    }

    void bindInput(int index, String layerId) {
        producer.put(index, layerId);
        layerTensor.put(layerId, index);
    }

    public String producerOf(int index) {
        return producer.get(index);
    }

    // ------------------------------------------------------------ shapes

    /** The shape of a tensor without the batch dimension, as the layer catalog counts it. */
    public int[] irShape(int index) throws UnsupportedOpException {
        return irShape(tensor(index).shape());
    }

    /**
     * The catalog shape of a TFLite shape: a leading dimension of 1 is the batch and is left out
     * ([1, H, W, C] → H×W×C, [1, N] → N); shapes without a batch of 1 ([N], [3160, 4]) are kept whole,
     * so a reshape that drops the batch keeps its element count.
     */
    public static int[] irShape(int[] tfliteShape) throws UnsupportedOpException {
        if (tfliteShape.length == 0) {
            return new int[] {1};
        }
        if (tfliteShape.length == 1 || tfliteShape[0] != 1) {
            return tfliteShape.clone();
        }
        return Arrays.copyOfRange(tfliteShape, 1, tfliteShape.length);
    }

    /** How many leading TFLite dimensions {@link #irShape} leaves out (0 or 1). */
    public static int droppedDims(int[] tfliteShape) {
        return tfliteShape.length >= 2 && tfliteShape[0] == 1 ? 1 : 0;
    }

    /** The output shape of an operator without the batch dimension. */
    public int[] outputShape(TfliteOp op) throws UnsupportedOpException {
        if (op.outputs().length < 1) {
            throw new UnsupportedOpException(op.label() + " has no output");
        }
        return irShape(op.outputs()[0]);
    }

    /** The input activation's shape without the batch dimension. */
    public int[] inputShape(TfliteOp op, int port) throws UnsupportedOpException {
        int t = op.input(port);
        if (t < 0) {
            throw new UnsupportedOpException(op.label() + " has no input " + port);
        }
        return irShape(t);
    }

    // ------------------------------------------------------------ layers

    /** Adds a layer named after the operator's output tensor, fed by the producers, and returns its id. */
    public String addLayer(TfliteOp op, LayerParams params, Map<String, Tensor> weights, Map<String, String> notes,
                           String... producers) {
        String base = op.outputs().length > 0 ? tensor(op.outputs()[0]).name() : op.name().toLowerCase();
        if (base.isEmpty()) {
            base = op.name().toLowerCase();
        }
        String id = graph.newId();
        graph.addLayer(new Layer(id, graph.uniqueName(base), params, weights, notes));
        for (String p : producers) {
            graph.connect(p, id);
        }
        return id;
    }

    /** Appends the layer for a fused activation (none for NONE) and returns the id of the last layer. */
    public String fusedActivation(TfliteOp op, String layerId, int fused) throws UnsupportedOpException {
        ActivationFn fn = fusedFn(op, fused);
        if (fn.isLinear()) {
            return layerId;
        }
        LayerParams p = fn.kind() == ActivationFn.Kind.RELU ? ReLU.plain()
                : fn.kind() == ActivationFn.Kind.RELU6 ? ReLU.relu6() : new Activation(fn);
        String id = graph.newId();
        Layer src = graph.layer(layerId);
        graph.addLayer(new Layer(id, graph.uniqueName(src.name() + "/" + fn.kind().keras()), p, Map.of(),
                Map.of("tflite.op", op.name() + " fused activation")));
        graph.connect(layerId, id);
        return id;
    }

    /** The catalog activation for a TFLite ActivationFunctionType. */
    public static ActivationFn fusedFn(TfliteOp op, int fused) throws UnsupportedOpException {
        switch (fused) {
            case 0: return ActivationFn.LINEAR;
            case 1: return ActivationFn.RELU;
            case 3: return ActivationFn.RELU6;
            case 4: return ActivationFn.TANH;
            case 2: throw new UnsupportedOpException(op.label() + " has the fused activation RELU_N1_TO_1 (clip to [-1, 1]), "
                    + "which the layer catalog has no layer for");
            case 5: throw new UnsupportedOpException(op.label() + " has the fused activation SIGN_BIT, which is not supported");
            default: throw new UnsupportedOpException(op.label() + " has an unknown fused activation code " + fused);
        }
    }

    public static Padding padding(TfliteOp op, int code) throws UnsupportedOpException {
        if (code == 0) {
            return Padding.SAME;
        }
        if (code == 1) {
            return Padding.VALID;
        }
        throw new UnsupportedOpException(op.label() + " has an unknown padding code " + code);
    }

    /** Display notes for a layer: the TFLite op, its output tensor and the quantization of output and weights. */
    public Map<String, String> notes(TfliteOp op, String... weightPortNames) {
        Map<String, String> n = new LinkedHashMap<>();
        n.put("tflite.op", op.name());
        if (op.outputs().length > 0) {
            TfliteTensor out = tensor(op.outputs()[0]);
            n.put("tflite.tensor", out.name());
            if (out.quant() != null && !out.type().isFloat()) {
                n.put("tflite.output.quantization", out.quant().describe(out.type()));
            }
        }
        for (int i = 0; i + 1 < weightPortNames.length; i += 2) {
            int port = Integer.parseInt(weightPortNames[i]);
            int t = op.input(port);
            if (t >= 0) {
                TfliteTensor w = tensor(t);
                String key = "tflite." + weightPortNames[i + 1];
                if (constantOrigin.containsKey(t)) {
                    n.put(key + ".source", constantOrigin.get(t));
                    continue;
                }
                if (w.quant() != null && !w.type().isFloat()) {
                    n.put(key + ".quantization", w.quant().describe(w.type()));
                } else if (w.type() != TensorType.FLOAT32) {
                    n.put(key + ".type", w.type().toString());
                }
            }
        }
        return n;
    }
}
