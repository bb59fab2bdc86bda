package k210studio.converter.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.ir.graph.Layer;
import k210studio.ir.tensor.Tensor;

/**
 * One layer of a {@link TrainableNetwork}: a forward pass over a whole mini-batch that keeps what its backward
 * pass needs, and the backward pass that adds the weight gradients into its {@link Param}s and returns the
 * gradients with respect to its inputs. Samples are arrays in the evaluator's layout (NHWC without the batch
 * axis); {@code in[i][s]} is input i of sample s. Forward passes go through {@link FloatEvaluator#evaluateLayer}
 * wherever training and inference compute the same function, so a trained weight means the same thing to the
 * evaluator, the compiler and the simulator.
 */
abstract class TrainLayer {
    final Layer layer;
    final List<int[]> inShapes;
    final int[] outShape;
    /** Trainable weights by key; weights not listed here (e.g. moving statistics) are taken from {@link #layer}. */
    final Map<String, Param> params = new LinkedHashMap<>();
    /** When false the layer's weights get no gradient (frozen); gradients still flow through it. */
    boolean trainWeights = true;
    /** Per input: whether the gradient with respect to it is needed (false for inputs that lead to nothing trainable). */
    boolean[] wantInput;

    TrainLayer(Layer layer, List<int[]> inShapes, int[] outShape) {
        this.layer = layer;
        this.inShapes = List.copyOf(inShapes);
        this.outShape = outShape;
        this.wantInput = new boolean[inShapes.size()];
    }

    /** Makes the given weights trainable parameters (the others stay as the layer holds them). */
    void train(String... keys) {
        for (String k : keys) {
            Tensor t = layer.weight(k);
            if (t != null) {
                params.put(k, new Param(layer.id(), k, t));
            }
        }
    }

    /** The layer with the current parameter values (wrapped, not copied: valid while the values do not change). */
    Layer current() {
        if (params.isEmpty()) {
            return layer;
        }
        Map<String, Tensor> w = new LinkedHashMap<>(layer.weights());
        params.forEach((k, p) -> w.put(k, p.view()));
        return layer.withWeights(w);
    }

    /** Batch forward; {@code training} selects training behaviour (batch statistics, dropout). */
    abstract float[][] forward(float[][][] in, boolean training, long seed);

    /** Batch backward from the gradient with respect to the output; returns [input][sample] (null where not wanted). */
    abstract float[][][] backward(float[][] gradOut);

    /** Forgets what the last forward pass kept for the backward pass. */
    abstract void release();

    /** The weights as they are now: trained values copied, the rest as the layer had them. */
    Map<String, Tensor> weightsNow() {
        Map<String, Tensor> w = new LinkedHashMap<>(layer.weights());
        params.forEach((k, p) -> w.put(k, p.snapshot()));
        return w;
    }

    List<Param> paramList() {
        return new ArrayList<>(params.values());
    }

    float[] gradOrNull(String key, int chunk) {
        Param p = params.get(key);
        return p == null || !trainWeights ? null : p.chunk(chunk);
    }

    /** Runs one layer of the evaluator on one sample. */
    static float[] eval(Layer l, int[][] shapes, float[]... xs) {
        List<Tensor> ts = new ArrayList<>(xs.length);
        for (int i = 0; i < xs.length; i++) {
            ts.add(new Tensor(shapes[i], xs[i]));
        }
        return FloatEvaluator.evaluateLayer(l, ts).data();
    }

    int[][] inShapeArray() {
        return inShapes.toArray(new int[0][]);
    }

    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** A layer whose samples are independent: forward and backward run per sample, in parallel. */
    abstract static class PerSample extends TrainLayer {
        private Layer batchLayer;

        PerSample(Layer layer, List<int[]> inShapes, int[] outShape) {
            super(layer, inShapes, outShape);
        }

        /** The layer with this batch's weights (see {@link #current()}). */
        Layer batchLayer() {
            return batchLayer;
        }

        /** Called once before a batch's forward samples. */
        void begin(int n, boolean training, long seed) {
        }

        abstract float[] forwardOne(int s, float[][] x, boolean training);

        /** Gradients with respect to each input of sample s; weight gradients go to the chunk's buffers. */
        abstract float[][] backwardOne(int s, float[] g, int chunk);

        @Override
        final float[][] forward(float[][][] in, boolean training, long seed) {
            int n = in[0].length;
            batchLayer = current();
            begin(n, training, seed);
            float[][] out = new float[n][];
            Parallel.forEach(n, s -> {
                float[][] x = new float[in.length][];
                for (int i = 0; i < in.length; i++) {
                    x[i] = in[i][s];
                }
                out[s] = forwardOne(s, x, training);
            });
            return out;
        }

        @Override
        final float[][][] backward(float[][] gradOut) {
            int n = gradOut.length;
            float[][][] gin = new float[inShapes.size()][n][];
            Parallel.forChunks(n, (from, to, chunk) -> {
                for (int s = from; s < to; s++) {
                    float[][] g = backwardOne(s, gradOut[s], chunk);
                    for (int i = 0; i < gin.length; i++) {
                        gin[i][s] = g[i];
                    }
                }
            });
            return gin;
        }
    }
}
