package k210studio.converter.train;

import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.ReLU;

/**
 * Derivatives of the evaluator's activations: given the input {@code x}, the output {@code y} and the gradient
 * {@code g} with respect to the output, the gradient with respect to the input. At a kink (ReLU at 0, ReLU6 at
 * 0 and 6) the derivative of the side the evaluator's comparison puts the point on is used, as TensorFlow does.
 */
final class ActivationGradients {
    private ActivationGradients() {
    }

    /** True when the derivative needs the input {@code x} (the others work from the output alone). */
    static boolean needsInput(ActivationFn fn) {
        return switch (fn.kind()) {
            case RELU, RELU6, LEAKY_RELU, HARD_SIGMOID, SWISH, HARD_SWISH -> true;
            default -> false;
        };
    }

    /** Softmax runs over the last axis of length {@code last}. */
    static float[] backward(ActivationFn fn, float[] x, float[] y, float[] g, int last) {
        float[] d = new float[g.length];
        switch (fn.kind()) {
            case LINEAR -> System.arraycopy(g, 0, d, 0, g.length);
            case RELU -> {
                for (int i = 0; i < d.length; i++) {
                    d[i] = x[i] > 0 ? g[i] : 0f;
                }
            }
            case RELU6 -> {
                for (int i = 0; i < d.length; i++) {
                    d[i] = x[i] > 0 && x[i] < 6f ? g[i] : 0f;
                }
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < d.length; i++) {
                    d[i] = x[i] >= 0 ? g[i] : fn.alpha() * g[i];
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < d.length; i++) {
                    d[i] = g[i] * y[i] * (1f - y[i]);
                }
            }
            case HARD_SIGMOID -> {
                for (int i = 0; i < d.length; i++) {
                    float t = 0.2f * x[i] + 0.5f;
                    d[i] = t > 0 && t < 1 ? 0.2f * g[i] : 0f;
                }
            }
            case TANH -> {
                for (int i = 0; i < d.length; i++) {
                    d[i] = g[i] * (1f - y[i] * y[i]);
                }
            }
            case SWISH -> {
                for (int i = 0; i < d.length; i++) {
                    float s = (float) (1.0 / (1.0 + Math.exp(-x[i])));
                    d[i] = g[i] * (s + x[i] * s * (1f - s));
                }
            }
            case HARD_SWISH -> {
                for (int i = 0; i < d.length; i++) {
                    float v = x[i];
                    d[i] = v <= -3f ? 0f : v >= 3f ? g[i] : g[i] * (2f * v + 3f) / 6f;
                }
            }
            case SOFTMAX -> softmax(y, g, d, y.length / Math.max(last, 1), last, 1);
            default -> throw new IllegalStateException("no derivative for activation " + fn);
        }
        return d;
    }

    /** Softmax over an axis of length n with {@code outer} blocks before and {@code inner} after it: y·(g − Σ g·y). */
    static void softmax(float[] y, float[] g, float[] d, int outer, int n, int inner) {
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * n * inner + in;
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += (double) g[base + i * inner] * y[base + i * inner];
                }
                for (int i = 0; i < n; i++) {
                    int j = base + i * inner;
                    d[j] = (float) (y[j] * (g[j] - dot));
                }
            }
        }
    }

    /** Keras ReLU(max_value, negative_slope, threshold), as the evaluator computes it. */
    static float[] relu(ReLU r, float[] x, float[] g) {
        float max = r.maxValue() == null ? Float.POSITIVE_INFINITY : r.maxValue();
        float[] d = new float[g.length];
        for (int i = 0; i < d.length; i++) {
            float v = x[i];
            d[i] = v >= max ? 0f : v >= r.threshold() ? g[i] : r.negativeSlope() * g[i];
        }
        return d;
    }
}
