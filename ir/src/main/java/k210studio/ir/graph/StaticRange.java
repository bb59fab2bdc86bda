package k210studio.ir.graph;

import java.util.List;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.AveragePooling2D;
import k210studio.ir.layer.Concatenate;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Dropout;
import k210studio.ir.layer.Flatten;
import k210studio.ir.layer.GlobalAveragePooling2D;
import k210studio.ir.layer.GlobalMaxPooling2D;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.MaxPooling2D;
import k210studio.ir.layer.Reshape;
import k210studio.ir.layer.SeparableConv2D;
import k210studio.ir.layer.UpSampling2D;
import k210studio.ir.layer.ZeroPadding2D;

/**
 * The interval every value of a layer's output lies in, known from the graph alone (not from calibration): a layer's
 * own activation bounds it (ReLU → [0, ∞), ReLU6 → [0, 6], sigmoid → [0, 1], tanh → [−1, 1]), and layers that only move, pick or average
 * values (Flatten, Reshape, Dropout, pooling, nearest/bilinear upsampling, zero padding, Concatenate) keep their
 * inputs' interval. It tells when an activation cannot change its input — a ReLU after Flatten of a ReLU conv — so
 * that the checker and the compiler both treat it as the no-op it is.
 *
 * @param lo     the smallest possible value
 * @param hi     the largest possible value, possibly {@code +∞}
 * @param source the layer whose activation sets the bound (for messages)
 */
public record StaticRange(float lo, float hi, String source) {

    /** How far back through value-preserving layers the walk goes. */
    private static final int MAX_DEPTH = 64;

    /** The range of layer {@code id}'s output, or null when nothing in the graph bounds it. */
    public static StaticRange of(Graph g, String id) {
        return of(g, id, 0);
    }

    /**
     * Whether the element-wise function {@code fn} returns every value of layer {@code inputId}'s output unchanged;
     * the range that proves it, or null.
     */
    public static StaticRange makesIdentity(ActivationFn fn, Graph g, String inputId) {
        StaticRange r = of(g, inputId);
        if (r == null || fn == null) {
            return null;
        }
        boolean identity = switch (fn.kind()) {
            case LINEAR -> true;
            case RELU, LEAKY_RELU -> r.lo >= 0f;
            case RELU6 -> r.lo >= 0f && r.hi <= 6f;
            default -> false;
        };
        return identity ? r : null;
    }

    private static StaticRange of(Graph g, String id, int depth) {
        if (depth > MAX_DEPTH || !g.contains(id)) {
            return null;
        }
        LayerParams p = g.layer(id).params();
        ActivationFn own = ownActivation(p);
        if (own != null) {
            return bounds(own, id);
        }
        List<String> ins = g.inputsOf(id);
        if (passesValuesThrough(p)) {
            StaticRange r = ins.size() == 1 ? of(g, ins.get(0), depth + 1) : null;
            return r != null && p instanceof ZeroPadding2D ? r.union(new StaticRange(0f, 0f, r.source)) : r;
        }
        if (p instanceof Concatenate && !ins.isEmpty()) {
            StaticRange r = null;
            for (String in : ins) {
                StaticRange ri = of(g, in, depth + 1);
                if (ri == null) {
                    return null;
                }
                r = r == null ? ri : r.union(ri);
            }
            return r;
        }
        return null;
    }

    private StaticRange union(StaticRange o) {
        return new StaticRange(Math.min(lo, o.lo), Math.max(hi, o.hi), source);
    }

    /** The activation a layer applies to its own output, or null when it has none. */
    private static ActivationFn ownActivation(LayerParams p) {
        if (p instanceof Conv2D c) {
            return c.activation();
        }
        if (p instanceof DepthwiseConv2D d) {
            return d.activation();
        }
        if (p instanceof SeparableConv2D s) {
            return s.activation();
        }
        if (p instanceof Dense d) {
            return d.activation();
        }
        if (p instanceof Activation a) {
            return a.fn(); // softmax included: its values lie in [0, 1]
        }
        return ActivationFn.ofLayer(p);
    }

    private static StaticRange bounds(ActivationFn fn, String id) {
        return switch (fn.kind()) {
            case RELU -> new StaticRange(0f, Float.POSITIVE_INFINITY, id);
            case LEAKY_RELU -> fn.alpha() == 0f ? new StaticRange(0f, Float.POSITIVE_INFINITY, id) : null;
            case RELU6 -> new StaticRange(0f, 6f, id);
            case SIGMOID, HARD_SIGMOID, SOFTMAX -> new StaticRange(0f, 1f, id);
            case TANH -> new StaticRange(-1f, 1f, id);
            default -> null;
        };
    }

    /** Layers whose every output value is one of their input values, a mean of some, or zero padding. */
    private static boolean passesValuesThrough(LayerParams p) {
        return p instanceof Flatten || p instanceof Reshape || p instanceof Dropout || p instanceof MaxPooling2D
                || p instanceof GlobalMaxPooling2D || p instanceof AveragePooling2D || p instanceof GlobalAveragePooling2D
                || p instanceof UpSampling2D || p instanceof ZeroPadding2D;
    }
}
