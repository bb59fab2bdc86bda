package k210studio.converter.train;

import java.util.Arrays;
import k210studio.ir.tensor.Tensor;

/**
 * One trainable weight array of a layer ("kernel", "bias", "gamma", …): its values, the gradient of the loss
 * summed over the current mini-batch, and one gradient buffer per {@link Parallel} chunk so that the samples of a
 * batch can be processed in parallel. Optimizer state (momentum, Adam moments) lives in the optimizer.
 */
final class Param {
    final String layerId;
    final String key;
    final int[] shape;
    final float[] value;
    final float[] grad;
    private final float[][] chunkGrads;
    boolean trainable = true;

    Param(String layerId, String key, Tensor initial) {
        this.layerId = layerId;
        this.key = key;
        this.shape = initial.shape();
        this.value = initial.data().clone();
        this.grad = new float[value.length];
        this.chunkGrads = new float[Parallel.chunks()][];
    }

    /** The gradient buffer of one chunk (allocated on first use, then reused: zeroed by {@link #reduce}). */
    float[] chunk(int c) {
        float[] g = chunkGrads[c];
        if (g == null) {
            synchronized (chunkGrads) {
                g = chunkGrads[c];
                if (g == null) {
                    g = new float[value.length];
                    chunkGrads[c] = g;
                }
            }
        }
        return g;
    }

    /** Sums the chunk buffers into {@link #grad} and zeroes them for the next batch. */
    void reduce() {
        Arrays.fill(grad, 0f);
        for (float[] g : chunkGrads) {
            if (g != null) {
                for (int i = 0; i < grad.length; i++) {
                    grad[i] += g[i];
                }
                Arrays.fill(g, 0f);
            }
        }
    }

    /** The current values as a new tensor (a copy: training goes on changing {@link #value}). */
    Tensor snapshot() {
        return new Tensor(shape, value.clone());
    }

    /** The current values wrapped without a copy, for one forward pass while the values do not change. */
    Tensor view() {
        return new Tensor(shape, value);
    }

    String name() {
        return layerId + "/" + key;
    }
}
