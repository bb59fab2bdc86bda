package k210studio.converter.train;

import java.util.List;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.AveragePooling2D;
import k210studio.ir.layer.GlobalAveragePooling2D;
import k210studio.ir.layer.MaxPooling2D;

/** MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D and GlobalMaxPooling2D. */
final class PoolTrainLayer extends TrainLayer.PerSample {
    private float[][] xs;

    PoolTrainLayer(Layer layer, List<int[]> inShapes, int[] outShape) {
        super(layer, inShapes, outShape);
    }

    @Override
    void begin(int n, boolean training, long seed) {
        xs = training ? new float[n][] : null;
    }

    @Override
    float[] forwardOne(int s, float[][] x, boolean training) {
        if (training) {
            xs[s] = x[0];
        }
        return eval(layer, inShapeArray(), x[0]);
    }

    @Override
    float[][] backwardOne(int s, float[] g, int chunk) {
        int[] is = inShapes.get(0);
        float[] x = xs[s];
        float[] d;
        if (layer.params() instanceof MaxPooling2D m) {
            d = PoolGradients.pool(x, is[0], is[1], is[2], m.poolH(), m.poolW(), m.strideH(), m.strideW(), m.padding(), true, g);
        } else if (layer.params() instanceof AveragePooling2D m) {
            d = PoolGradients.pool(x, is[0], is[1], is[2], m.poolH(), m.poolW(), m.strideH(), m.strideW(), m.padding(), false, g);
        } else {
            d = PoolGradients.global(x, is[0], is[1], is[2], !(layer.params() instanceof GlobalAveragePooling2D), g);
        }
        return new float[][] {d};
    }

    @Override
    void release() {
        xs = null;
    }
}
