package k210studio.converter.train;

import java.util.List;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.tensor.Tensor;

/**
 * BatchNormalization over the last axis. With batch statistics (training from scratch) the forward pass
 * normalises with the mean and (biased) variance of the mini-batch over all samples and positions and moves the
 * running statistics towards them, Keras-style: moving = moving · momentum + batch · (1 − momentum), momentum
 * 0.99, the variance Bessel-corrected as TensorFlow's fused kernel does. Without them (fine-tuning a pretrained
 * backbone, as Keras' transfer-learning guide advises, and every inference pass) the layer is the evaluator's
 * affine map with the running statistics, and gamma/beta still learn. One deviation from Keras, for the small
 * datasets a studio user brings: while fewer than 100 batches have been seen the running statistics are the plain
 * average of the batch statistics so far (momentum t / (t + 1)), so validation with them is meaningful after a
 * few epochs instead of after hundreds of steps; from then on the momentum is Keras' 0.99.
 */
final class BatchNormTrainLayer extends TrainLayer {
    static final float MOMENTUM = 0.99f;

    private final float eps;
    private final int c;
    /** Training passes normalise with the batch's statistics (else with the running ones). */
    boolean batchStatistics = true;
    private Param runningMean;
    private Param runningVar;
    private float[][] xhat;
    private float[] invStd;
    private int n;
    private int updates;

    BatchNormTrainLayer(Layer layer, List<int[]> inShapes, int[] outShape) {
        super(layer, inShapes, outShape);
        eps = ((BatchNormalization) layer.params()).epsilon();
        c = outShape[outShape.length - 1];
        train("gamma", "beta");
        runningMean = statistic("moving_mean", 0f);
        runningVar = statistic("moving_variance", 1f);
    }

    private Param statistic(String key, float dflt) {
        Tensor t = layer.weight(key);
        if (t == null) {
            float[] v = new float[c];
            java.util.Arrays.fill(v, dflt);
            t = new Tensor(new int[] {c}, v);
        }
        Param p = new Param(layer.id(), key, t);
        p.trainable = false;
        params.put(key, p);
        return p;
    }

    private float[] gamma() {
        Param p = params.get("gamma");
        return p == null ? null : p.value;
    }

    @Override
    float[][] forward(float[][][] in, boolean training, long seed) {
        float[][] x = in[0];
        n = x.length;
        float[] g = gamma();
        Param betaP = params.get("beta");
        float[] beta = betaP == null ? null : betaP.value;
        float[] mean = new float[c];
        float[] var = new float[c];
        long count = 0;
        if (training && batchStatistics) {
            double[] sum = new double[c];
            double[] sq = new double[c];
            for (float[] v : x) {
                for (int i = 0; i < v.length; i++) {
                    sum[i % c] += v[i];
                }
                count += v.length / c;
            }
            for (int ch = 0; ch < c; ch++) {
                mean[ch] = (float) (sum[ch] / count);
            }
            for (float[] v : x) {
                for (int i = 0; i < v.length; i++) {
                    double d = v[i] - mean[i % c];
                    sq[i % c] += d * d;
                }
            }
            float mom = Math.min(MOMENTUM, updates / (updates + 1f));
            updates++;
            for (int ch = 0; ch < c; ch++) {
                var[ch] = (float) (sq[ch] / count);
                double unbiased = count > 1 ? sq[ch] / (count - 1) : var[ch];
                runningMean.value[ch] = runningMean.value[ch] * mom + mean[ch] * (1 - mom);
                runningVar.value[ch] = (float) (runningVar.value[ch] * mom + unbiased * (1 - mom));
            }
        } else {
            if (!training) {
                // inference: exactly the evaluator's arithmetic
                Layer cur = current();
                float[][] out = new float[n][];
                Parallel.forEach(n, s -> out[s] = eval(cur, inShapeArray(), x[s]));
                return out;
            }
            System.arraycopy(runningMean.value, 0, mean, 0, c);
            System.arraycopy(runningVar.value, 0, var, 0, c);
        }
        invStd = new float[c];
        for (int ch = 0; ch < c; ch++) {
            invStd[ch] = (float) (1.0 / Math.sqrt(var[ch] + eps));
        }
        xhat = new float[n][];
        float[][] out = new float[n][];
        Parallel.forEach(n, s -> {
            float[] v = x[s];
            float[] h = new float[v.length];
            float[] y = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                int ch = i % c;
                h[i] = (v[i] - mean[ch]) * invStd[ch];
                y[i] = (g == null ? h[i] : g[ch] * h[i]) + (beta == null ? 0f : beta[ch]);
            }
            xhat[s] = h;
            out[s] = y;
        });
        return out;
    }

    @Override
    float[][][] backward(float[][] gy) {
        float[] g = gamma();
        double[] sumG = new double[c];
        double[] sumGX = new double[c];
        long count = 0;
        for (int s = 0; s < n; s++) {
            float[] gs = gy[s];
            float[] h = xhat[s];
            for (int i = 0; i < gs.length; i++) {
                sumG[i % c] += gs[i];
                sumGX[i % c] += gs[i] * h[i];
            }
            count += gs.length / c;
        }
        if (trainWeights) {
            Param gp = params.get("gamma");
            if (gp != null) {
                float[] b = gp.chunk(0);
                for (int ch = 0; ch < c; ch++) {
                    b[ch] += (float) sumGX[ch];
                }
            }
            Param bp = params.get("beta");
            if (bp != null) {
                float[] b = bp.chunk(0);
                for (int ch = 0; ch < c; ch++) {
                    b[ch] += (float) sumG[ch];
                }
            }
        }
        float[][] gx = new float[n][];
        if (wantInput[0]) {
            long m = count;
            Parallel.forEach(n, s -> {
                float[] gs = gy[s];
                float[] h = xhat[s];
                float[] d = new float[gs.length];
                for (int i = 0; i < d.length; i++) {
                    int ch = i % c;
                    float scale = (g == null ? 1f : g[ch]) * invStd[ch];
                    if (batchStatistics) {
                        d[i] = (float) (scale * (gs[i] - sumG[ch] / m - h[i] * sumGX[ch] / m));
                    } else {
                        d[i] = scale * gs[i];
                    }
                }
                gx[s] = d;
            });
        }
        return new float[][][] {gx};
    }

    @Override
    void release() {
        xhat = null;
    }
}
