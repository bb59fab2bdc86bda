package k210studio.converter.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import k210studio.converter.eval.EvaluationException;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.GraphException;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.*;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.shape.ShapeResult;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/**
 * A network (one input, one output) prepared for training: one {@link TrainLayer} per layer in topological order,
 * batch forward and backward passes, and the trainable {@link Param}s. Missing weights are initialised as Keras
 * does ({@link WeightInit}). Not thread-safe: one training run uses it at a time (each pass is itself parallel).
 */
public final class TrainableNetwork {
    private final Graph graph;
    private final String inputId;
    private final String outputId;
    private final List<String> order;
    private final Map<String, TrainLayer> layers = new LinkedHashMap<>();
    private final Map<String, Integer> consumers = new HashMap<>();
    private final int[] inputShape;
    private final int[] outputShape;
    private float[][] inputGradient;

    /**
     * @param graph           the network (copied; missing weights initialised with {@code seed})
     * @param batchStatistics BatchNormalization layers normalise with batch statistics in training (from scratch);
     *                        false keeps their running statistics (fine-tuning pretrained layers)
     * @throws TrainingException naming the problem when the network cannot be trained
     */
    public TrainableNetwork(Graph graph, boolean batchStatistics, long seed) throws TrainingException {
        List<GraphException> problems = graph.problems();
        if (!problems.isEmpty()) {
            throw new TrainingException("the network cannot be trained: " + problems.get(0).getMessage());
        }
        if (graph.inputIds().size() != 1 || graph.outputIds().size() != 1) {
            throw new TrainingException("training needs a network with one input and one output; this one has "
                    + graph.inputIds().size() + " input(s) and " + graph.outputIds().size() + " output(s)");
        }
        this.graph = WeightInit.complete(graph, seed);
        ShapeResult sr = ShapeInference.infer(this.graph);
        inputId = this.graph.inputIds().get(0);
        outputId = this.graph.outputIds().get(0);
        order = this.graph.topologicalOrder();
        Map<String, TensorShape> shapes = sr.shapes();
        for (String id : order) {
            if (shapes.get(id) == null || !shapes.get(id).isFullyKnown()) {
                String err = sr.error(id);
                throw new TrainingException("layer '" + this.graph.layer(id).name() + "': "
                        + (err == null ? "its output shape is unknown" : err));
            }
        }
        inputShape = shapes.get(inputId).dims();
        outputShape = shapes.get(outputId).dims();
        Map<String, Boolean> trainableUpstream = new HashMap<>();
        for (String id : order) {
            Layer l = this.graph.layer(id);
            boolean up = false;
            for (String p : this.graph.inputsOf(id)) {
                consumers.merge(p, 1, Integer::sum);
                up |= trainableUpstream.get(p);
            }
            if (l.params() instanceof Input) {
                trainableUpstream.put(id, false);
                continue;
            }
            List<int[]> ins = new ArrayList<>();
            for (String p : this.graph.inputsOf(id)) {
                ins.add(shapes.get(p).dims());
            }
            TrainLayer t = create(l, ins, shapes.get(id).dims());
            if (t instanceof BatchNormTrainLayer bn) {
                bn.batchStatistics = batchStatistics;
            }
            for (int i = 0; i < ins.size(); i++) {
                t.wantInput[i] = trainableUpstream.get(this.graph.inputsOf(id).get(i));
            }
            layers.put(id, t);
            trainableUpstream.put(id, up || t.params.values().stream().anyMatch(p -> p.trainable));
        }
    }

    static TrainLayer create(Layer l, List<int[]> ins, int[] out) throws TrainingException {
        LayerParams p = l.params();
        if (p instanceof Conv2D || p instanceof DepthwiseConv2D || p instanceof SeparableConv2D || p instanceof Conv2DTranspose
                || p instanceof Dense) {
            return new WeightedTrainLayer(l, ins, out);
        }
        if (p instanceof BatchNormalization) {
            return new BatchNormTrainLayer(l, ins, out);
        }
        if (p instanceof Activation || p instanceof ReLU || p instanceof LeakyReLU || p instanceof PReLU || p instanceof Softmax) {
            return new ElementwiseTrainLayer(l, ins, out);
        }
        if (p instanceof MaxPooling2D || p instanceof AveragePooling2D || p instanceof GlobalAveragePooling2D
                || p instanceof GlobalMaxPooling2D) {
            return new PoolTrainLayer(l, ins, out);
        }
        if (p instanceof ZeroPadding2D || p instanceof Flatten || p instanceof Reshape || p instanceof Dropout
                || p instanceof UpSampling2D || p instanceof Resizing) {
            return new LayoutTrainLayer(l, ins, out);
        }
        if (p instanceof Add || p instanceof Subtract || p instanceof Multiply || p instanceof Concatenate) {
            return new MergeTrainLayer(l, ins, out);
        }
        throw new TrainingException("layer '" + l.name() + "': training has no backward pass for " + p.kerasName());
    }

    /** The network with the current weights (a copy). */
    public Graph graph() {
        Graph g = graph.copy();
        for (TrainLayer t : layers.values()) {
            g.replaceLayer(g.layer(t.layer.id()).withWeights(t.weightsNow()));
        }
        return g;
    }

    /** Layer id → its weights now (copies), for layers that have any. */
    public Map<String, Map<String, Tensor>> weights() {
        Map<String, Map<String, Tensor>> w = new LinkedHashMap<>();
        for (TrainLayer t : layers.values()) {
            if (!t.layer.weights().isEmpty() || !t.params.isEmpty()) {
                w.put(t.layer.id(), t.weightsNow());
            }
        }
        return w;
    }

    /** Sets weights taken from {@link #weights()} (layers or keys not in the map keep theirs). */
    public void setWeights(Map<String, Map<String, Tensor>> w) {
        for (TrainLayer t : layers.values()) {
            Map<String, Tensor> lw = w.get(t.layer.id());
            if (lw != null) {
                t.params.forEach((k, p) -> {
                    Tensor v = lw.get(k);
                    if (v != null && v.size() == p.value.length) {
                        System.arraycopy(v.data(), 0, p.value, 0, p.value.length);
                    }
                });
            }
        }
    }

    public int[] inputShape() {
        return inputShape.clone();
    }

    public int[] outputShape() {
        return outputShape.clone();
    }

    /** Every parameter the optimizer updates. */
    List<Param> trainableParams() {
        List<Param> out = new ArrayList<>();
        for (TrainLayer t : layers.values()) {
            if (t.trainWeights) {
                for (Param p : t.params.values()) {
                    if (p.trainable) {
                        out.add(p);
                    }
                }
            }
        }
        return out;
    }

    /** Number of trainable values. */
    public long trainableCount() {
        long n = 0;
        for (Param p : trainableParams()) {
            n += p.value.length;
        }
        return n;
    }

    /** Freezes a layer's weights (its gradients are not computed, the optimizer leaves it alone). */
    void freeze(String layerId) {
        TrainLayer t = layers.get(layerId);
        if (t != null) {
            t.trainWeights = false;
        }
    }

    /** Makes the backward pass compute every gradient, down to the network input (for gradient checks). */
    void wantAllGradients() {
        for (TrainLayer t : layers.values()) {
            java.util.Arrays.fill(t.wantInput, true);
        }
    }

    /** The gradient with respect to the input from the last backward pass (after {@link #wantAllGradients}). */
    float[][] inputGradient() {
        return inputGradient;
    }

    TrainLayer layer(String id) {
        return layers.get(id);
    }

    TrainLayer outputLayer() {
        return layers.get(outputId);
    }

    /**
     * Batch forward pass. In training mode every layer keeps what its backward pass needs until {@link #backward}.
     *
     * @param x one input array per sample, shaped like the network input
     */
    public float[][] forward(float[][] x, boolean training, long seed) {
        Map<String, float[][]> values = new HashMap<>();
        Map<String, Integer> pending = new HashMap<>(consumers);
        values.put(inputId, x);
        for (String id : order) {
            TrainLayer t = layers.get(id);
            if (t == null) {
                continue;
            }
            List<String> ins = graph.inputsOf(id);
            float[][][] in = new float[ins.size()][][];
            for (int i = 0; i < in.length; i++) {
                in[i] = values.get(ins.get(i));
            }
            try {
                values.put(id, t.forward(in, training, seed));
            } catch (EvaluationException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new EvaluationException("layer '" + t.layer.name() + "' (" + t.layer.params().kerasName() + "): " + e, id);
            }
            for (String p : ins) {
                if (pending.merge(p, -1, Integer::sum) == 0 && !p.equals(outputId)) {
                    values.remove(p);
                }
            }
        }
        return values.get(outputId);
    }

    /** Batch backward pass from the gradient with respect to the output; parameter gradients end in {@link Param#grad}. */
    public void backward(float[][] gradOut) {
        Map<String, float[][]> grads = new HashMap<>();
        grads.put(outputId, gradOut);
        for (int k = order.size() - 1; k >= 0; k--) {
            String id = order.get(k);
            TrainLayer t = layers.get(id);
            float[][] g = grads.remove(id);
            if (id.equals(inputId)) {
                inputGradient = g;
            }
            if (t == null || g == null) {
                continue;
            }
            float[][][] gin = t.backward(g);
            t.release();
            List<String> ins = graph.inputsOf(id);
            for (int i = 0; i < ins.size(); i++) {
                if (!t.wantInput[i] || gin[i] == null || gin[i][0] == null) {
                    continue;
                }
                float[][] have = grads.get(ins.get(i));
                if (have == null) {
                    grads.put(ins.get(i), gin[i]);
                } else {
                    for (int s = 0; s < have.length; s++) {
                        float[] a = have[s].clone();
                        for (int j = 0; j < a.length; j++) {
                            a[j] += gin[i][s][j];
                        }
                        have[s] = a;
                    }
                }
            }
        }
        for (TrainLayer t : layers.values()) {
            t.release();
            for (Param p : t.params.values()) {
                if (p.trainable) {
                    p.reduce();
                }
            }
        }
    }
}
