package k210studio.converter.train;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Updates the parameters from their mini-batch gradients, as Keras' optimizers do:
 * SGD with momentum {@code v = μ·v − lr·g; w += v} and Adam ({@code β1 0.9, β2 0.999, ε 1e-7}, bias-corrected).
 * The state (velocities, moments) is kept per parameter for the whole run.
 */
public abstract class Optimizer {
    /** The optimizers the CLI and the studio offer. */
    public enum Kind {
        ADAM, SGD;

        public static Kind parse(String s) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "adam":
                    return ADAM;
                case "sgd":
                    return SGD;
                default:
                    throw new IllegalArgumentException("unknown optimizer '" + s + "' (use adam or sgd)");
            }
        }

        public String label() {
            return this == ADAM ? "adam" : "sgd";
        }
    }

    public static Optimizer of(Kind kind) {
        return kind == Kind.ADAM ? new Adam() : new Sgd(0.9f);
    }

    abstract void step(List<Param> params, float lr);

    /** SGD with momentum. */
    static final class Sgd extends Optimizer {
        private final float momentum;
        private final Map<Param, float[]> velocity = new IdentityHashMap<>();

        Sgd(float momentum) {
            this.momentum = momentum;
        }

        @Override
        void step(List<Param> params, float lr) {
            for (Param p : params) {
                float[] v = velocity.computeIfAbsent(p, k -> new float[k.value.length]);
                for (int i = 0; i < v.length; i++) {
                    v[i] = momentum * v[i] - lr * p.grad[i];
                    p.value[i] += v[i];
                }
            }
        }
    }

    /** Adam. */
    static final class Adam extends Optimizer {
        private static final float B1 = 0.9f;
        private static final float B2 = 0.999f;
        private static final float EPS = 1e-7f;
        private final Map<Param, float[][]> moments = new IdentityHashMap<>();
        private int t;

        @Override
        void step(List<Param> params, float lr) {
            t++;
            double c1 = 1 - Math.pow(B1, t);
            double c2 = 1 - Math.pow(B2, t);
            float alpha = (float) (lr * Math.sqrt(c2) / c1);
            float eps = (float) (EPS * Math.sqrt(c2));
            for (Param p : params) {
                float[][] mv = moments.computeIfAbsent(p, k -> new float[][] {new float[k.value.length], new float[k.value.length]});
                float[] m = mv[0];
                float[] v = mv[1];
                for (int i = 0; i < m.length; i++) {
                    float g = p.grad[i];
                    m[i] = B1 * m[i] + (1 - B1) * g;
                    v[i] = B2 * v[i] + (1 - B2) * g * g;
                    p.value[i] -= alpha * m[i] / ((float) Math.sqrt(v[i]) + eps);
                }
            }
        }
    }
}
