package k210studio.converter.compile.lower;

import java.util.function.DoubleUnaryOperator;
import k210studio.ir.layer.ActivationFn;

/** Float definitions of the element-wise activations (as the float evaluator and Keras compute them). */
final class ActivationFunctions {
    private ActivationFunctions() {
    }

    static DoubleUnaryOperator of(ActivationFn a) {
        switch (a.kind()) {
            case LINEAR:
                return v -> v;
            case RELU:
                return v -> Math.max(0, v);
            case RELU6:
                return v -> Math.min(6, Math.max(0, v));
            case LEAKY_RELU:
                return v -> v >= 0 ? v : a.alpha() * v;
            case SIGMOID:
                return v -> 1 / (1 + Math.exp(-v));
            case HARD_SIGMOID:
                return v -> Math.max(0, Math.min(1, 0.2 * v + 0.5));
            case TANH:
                return Math::tanh;
            case SWISH:
                return v -> v / (1 + Math.exp(-v));
            case HARD_SWISH:
                return v -> v * Math.max(0, Math.min(6, v + 3)) / 6;
            default:
                throw new IllegalArgumentException(a + " is not element-wise");
        }
    }
}
