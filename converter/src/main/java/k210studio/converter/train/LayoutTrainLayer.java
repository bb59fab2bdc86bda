package k210studio.converter.train;

import java.util.List;
import java.util.Random;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Dropout;
import k210studio.ir.layer.Interpolation;
import k210studio.ir.layer.Resizing;
import k210studio.ir.layer.UpSampling2D;
import k210studio.ir.layer.ZeroPadding2D;

/**
 * ZeroPadding2D, Flatten, Reshape, UpSampling2D, Resizing and Dropout. Dropout in training drops each value with
 * probability {@code rate} and scales the kept ones by 1 / (1 − rate) (Keras' inverted dropout); at inference it
 * is the identity, as in the evaluator.
 */
final class LayoutTrainLayer extends TrainLayer.PerSample {
    private boolean[][] kept;
    private long seed;

    LayoutTrainLayer(Layer layer, List<int[]> inShapes, int[] outShape) {
        super(layer, inShapes, outShape);
    }

    @Override
    void begin(int n, boolean training, long batchSeed) {
        seed = batchSeed ^ layer.id().hashCode() * 0x9E3779B97F4A7C15L;
        kept = training && layer.params() instanceof Dropout ? new boolean[n][] : null;
    }

    @Override
    float[] forwardOne(int s, float[][] x, boolean training) {
        if (training && layer.params() instanceof Dropout d && d.rate() > 0) {
            Random r = new Random(seed + s * 0x632BE59BD9B4E019L);
            float scale = 1f / (1f - d.rate());
            boolean[] k = new boolean[x[0].length];
            float[] y = new float[k.length];
            for (int i = 0; i < k.length; i++) {
                k[i] = r.nextFloat() >= d.rate();
                y[i] = k[i] ? x[0][i] * scale : 0f;
            }
            kept[s] = k;
            return y;
        }
        return eval(layer, inShapeArray(), x[0]);
    }

    @Override
    float[][] backwardOne(int s, float[] g, int chunk) {
        int[] is = inShapes.get(0);
        float[] d;
        if (layer.params() instanceof Dropout dr) {
            if (kept == null || kept[s] == null) {
                d = g;
            } else {
                float scale = 1f / (1f - dr.rate());
                d = new float[g.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = kept[s][i] ? g[i] * scale : 0f;
                }
            }
        } else if (layer.params() instanceof ZeroPadding2D z) {
            d = LayoutGradients.crop(g, is[0], is[1], is[2], z.top(), z.left(), outShape[1]);
        } else if (layer.params() instanceof UpSampling2D u) {
            d = LayoutGradients.resize(g, is[0], is[1], is[2], outShape[0], outShape[1], u.interpolation(), false,
                    u.interpolation() == Interpolation.BILINEAR);
        } else if (layer.params() instanceof Resizing r) {
            d = LayoutGradients.resize(g, is[0], is[1], is[2], r.height(), r.width(), r.interpolation(), r.alignCorners(),
                    r.halfPixelCenters());
        } else {
            d = g; // Flatten and Reshape keep the values in order
        }
        return new float[][] {d};
    }

    @Override
    void release() {
        kept = null;
    }
}
