package k210studio.converter.train;

import java.util.List;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Concatenate;
import k210studio.ir.layer.Multiply;
import k210studio.ir.layer.Subtract;

/**
 * Add, Subtract, Multiply (numpy broadcasting: an input's gradient is summed over the axes it was broadcast
 * along) and Concatenate (the gradient is split along the axis).
 */
final class MergeTrainLayer extends TrainLayer.PerSample {
    private final int[][] index;
    private float[][][] xs;

    MergeTrainLayer(Layer layer, List<int[]> inShapes, int[] outShape) {
        super(layer, inShapes, outShape);
        index = new int[inShapes.size()][];
        if (!(layer.params() instanceof Concatenate)) {
            for (int i = 0; i < index.length; i++) {
                index[i] = LayoutGradients.broadcastIndex(inShapes.get(i), outShape);
            }
        }
    }

    @Override
    void begin(int n, boolean training, long seed) {
        xs = training && layer.params() instanceof Multiply ? new float[n][][] : null;
    }

    @Override
    float[] forwardOne(int s, float[][] x, boolean training) {
        if (xs != null) {
            xs[s] = x.clone();
        }
        return eval(layer, inShapeArray(), x);
    }

    @Override
    float[][] backwardOne(int s, float[] g, int chunk) {
        int k = inShapes.size();
        if (layer.params() instanceof Concatenate c) {
            int rank = outShape.length;
            int axis = (c.axis() < 0 ? rank + 1 + c.axis() : c.axis()) - 1;
            return LayoutGradients.split(g, inShapeArray(), axis);
        }
        float[][] d = new float[k][];
        for (int i = 0; i < k; i++) {
            if (!wantInput[i]) {
                continue;
            }
            float[] gi = new float[size(inShapes.get(i))];
            int[] map = index[i];
            float sign = layer.params() instanceof Subtract && i == 1 ? -1f : 1f;
            for (int o = 0; o < g.length; o++) {
                float v = g[o] * sign;
                if (xs != null) {
                    for (int j = 0; j < k; j++) {
                        if (j != i) {
                            v *= xs[s][j][index[j][o]];
                        }
                    }
                }
                gi[map[o]] += v;
            }
            d[i] = gi;
        }
        return d;
    }

    @Override
    void release() {
        xs = null;
    }
}
