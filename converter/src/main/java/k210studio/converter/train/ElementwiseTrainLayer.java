package k210studio.converter.train;

import java.util.List;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.LeakyReLU;
import k210studio.ir.layer.PReLU;
import k210studio.ir.layer.ReLU;
import k210studio.ir.layer.Softmax;

/** Activation, ReLU, LeakyReLU, PReLU (its slope "alpha" trainable) and Softmax. */
final class ElementwiseTrainLayer extends TrainLayer.PerSample {
    /** Set on the network's output layer when the loss hands over the gradient with respect to the softmax input. */
    boolean softmaxFused;
    private float[][] xs;
    private float[][] ys;
    private int[] alphaIndex;

    ElementwiseTrainLayer(Layer layer, List<int[]> inShapes, int[] outShape) {
        super(layer, inShapes, outShape);
        if (layer.params() instanceof PReLU) {
            train("alpha");
            if (layer.weight("alpha") != null) {
                alphaIndex = LayoutGradients.broadcastIndex(layer.weight("alpha").shape(), outShape);
            }
        }
    }

    /** True for Activation(softmax) and Softmax over the last axis. */
    boolean isLastAxisSoftmax() {
        if (layer.params() instanceof Activation a) {
            return a.fn().kind() == k210studio.ir.layer.ActivationFn.Kind.SOFTMAX;
        }
        return layer.params() instanceof Softmax s && (s.axis() == -1 || s.axis() == outShape.length);
    }

    @Override
    void begin(int n, boolean training, long seed) {
        if (training) {
            xs = new float[n][];
            ys = new float[n][];
        }
    }

    @Override
    float[] forwardOne(int s, float[][] x, boolean training) {
        float[] y = eval(batchLayer(), inShapeArray(), x[0]);
        if (training) {
            xs[s] = x[0];
            ys[s] = y;
        }
        return y;
    }

    @Override
    float[][] backwardOne(int s, float[] g, int chunk) {
        float[] x = xs[s];
        float[] y = ys[s];
        int last = outShape[outShape.length - 1];
        float[] d;
        if (softmaxFused) {
            d = g;
        } else if (layer.params() instanceof Activation a) {
            d = ActivationGradients.backward(a.fn(), x, y, g, last);
        } else if (layer.params() instanceof ReLU r) {
            d = ActivationGradients.relu(r, x, g);
        } else if (layer.params() instanceof LeakyReLU r) {
            d = new float[g.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = x[i] < 0 ? r.alpha() * g[i] : g[i];
            }
        } else if (layer.params() instanceof PReLU) {
            float[] alpha = batchLayer().weight("alpha").data();
            float[] ga = gradOrNull("alpha", chunk);
            d = new float[g.length];
            for (int i = 0; i < d.length; i++) {
                if (x[i] >= 0) {
                    d[i] = g[i];
                } else {
                    d[i] = alpha[alphaIndex[i]] * g[i];
                    if (ga != null) {
                        ga[alphaIndex[i]] += g[i] * x[i];
                    }
                }
            }
        } else {
            Softmax sm = (Softmax) layer.params();
            int rank = outShape.length;
            int ax = (sm.axis() < 0 ? rank + 1 + sm.axis() : sm.axis()) - 1;
            int outer = 1;
            for (int i = 0; i < ax; i++) {
                outer *= outShape[i];
            }
            int inner = 1;
            for (int i = ax + 1; i < rank; i++) {
                inner *= outShape[i];
            }
            d = new float[g.length];
            ActivationGradients.softmax(y, g, d, outer, outShape[ax], inner);
        }
        return new float[][] {d};
    }

    @Override
    void release() {
        xs = ys = null;
    }
}
