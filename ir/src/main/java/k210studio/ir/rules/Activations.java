package k210studio.ir.rules;

import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.LeakyReLU;
import k210studio.ir.layer.ReLU;

/**
 * Element-wise activations as the KPU and the converters see them. The KPU applies any
 * element-wise function through its 16-segment piecewise-linear table; nncase 0.2 (V4) fits
 * every element-wise function to it, nncase 0.1 (V3) only programs the table for linear, ReLU,
 * ReLU6 and LeakyReLU (rc5 {@code K210Conv2d.QuantizeActivation}); a sigmoid after a V3 conv
 * stays a CPU LOGISTIC layer.
 */
final class Activations {
    private Activations() {
    }

    /** The function an activation layer computes, or null if the layer is not a (uniform) element-wise activation. */
    static ActivationFn of(LayerParams p) {
        return ActivationFn.ofLayer(p);
    }

    static boolean isActivationLayer(LayerParams p) {
        return p instanceof Activation a && a.fn().isElementwise() || p instanceof LeakyReLU || p instanceof ReLU;
    }

    /** Does nncase 0.1 fuse this function into the KPU layer? */
    static boolean v3Fuses(ActivationFn fn) {
        if (fn == null) {
            return false;
        }
        switch (fn.kind()) {
            case LINEAR:
            case RELU:
            case RELU6:
            case LEAKY_RELU:
                return true;
            default:
                return false;
        }
    }

    /** Does a V3 CPU layer exist for this function when it cannot be fused (rc5: LOGISTIC, SOFTMAX)? */
    static boolean v3HasCpuLayer(ActivationFn fn) {
        return fn != null && (fn.kind() == ActivationFn.Kind.SIGMOID || fn.kind() == ActivationFn.Kind.SOFTMAX
                || fn.kind() == ActivationFn.Kind.LINEAR);
    }

    static String name(LayerParams p) {
        if (p instanceof ReLU r) {
            ActivationFn fn = r.function();
            return fn != null ? fn.toString() : "ReLU(max_value=" + r.maxValue() + ", negative_slope=" + r.negativeSlope()
                    + ", threshold=" + r.threshold() + ")";
        }
        ActivationFn fn = of(p);
        return fn != null ? fn.toString() : p.kerasName();
    }
}
