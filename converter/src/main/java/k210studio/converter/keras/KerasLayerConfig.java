package k210studio.converter.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import k210studio.converter.keras.KerasModelConfig.LayerDecl;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Padding;
import k210studio.ir.tensor.TensorShape;

/**
 * Typed reads of one Keras layer's config (shapes, paddings, int pairs, numbers, axes, per-channel
 * values, activations) with Keras' defaults; a value of the wrong kind is refused with the layer's
 * name and class.
 */
final class KerasLayerConfig {
    private static final Pattern LEAKY = Pattern.compile("leaky_relu_([0-9_em]+)");

    private KerasLayerConfig() {
    }

    /** "layer 'conv1' (Conv2D)", the start of every message about a layer. */
    static String who(LayerDecl d) {
        return "layer '" + d.name() + "' (" + d.className() + ")";
    }

    static KerasImportException unsupported(LayerDecl d, String why) {
        return new KerasImportException(who(d) + " cannot be imported: " + why);
    }

    static TensorShape inputShape(LayerDecl d) throws KerasImportException {
        JsonNode shape = KerasTopology.batchShapeOf(d.config());
        if (shape == null) {
            throw new KerasImportException("input layer '" + d.name() + "' does not declare its shape (no batch_input_shape / batch_shape)");
        }
        if (shape.size() < 2) {
            throw new KerasImportException("input layer '" + d.name() + "' has shape " + shape + ", which has no dimension besides the batch");
        }
        int[] dims = new int[shape.size() - 1];
        for (int i = 1; i < shape.size(); i++) {
            JsonNode n = shape.get(i);
            if (n == null || n.isNull() || !n.canConvertToInt() || n.asInt() < 1) {
                throw new KerasImportException("input layer '" + d.name() + "' has shape " + shape
                        + " with an unknown or invalid size; the K210 needs a fixed input size: rebuild the model with a fixed "
                        + "input_shape (e.g. Input(shape=(224, 224, 3))) and save it again");
            }
            dims[i - 1] = n.asInt();
        }
        return new TensorShape(dims);
    }

    static void dataFormat(LayerDecl d) throws KerasImportException {
        String f = d.config().path("data_format").asText("channels_last");
        if (!f.equals("channels_last") && !d.config().path("data_format").isNull()) {
            throw unsupported(d, "data_format '" + f + "' is not supported; the K210 flow (like TFLite) uses channels_last");
        }
    }

    static Padding padding(LayerDecl d) throws KerasImportException {
        String p = d.config().path("padding").asText("valid").toLowerCase(Locale.ROOT);
        switch (p) {
            case "same": return Padding.SAME;
            case "valid": return Padding.VALID;
            default: throw unsupported(d, "padding '" + p + "' is not supported; use 'same' or 'valid'");
        }
    }

    static int[] pair(LayerDecl d, String key, int[] dflt) throws KerasImportException {
        JsonNode n = d.config().get(key);
        if (n == null || n.isNull()) {
            if (dflt == null) {
                throw new KerasImportException(who(d) + " has no " + key);
            }
            return dflt.clone();
        }
        if (n.canConvertToInt() && n.isNumber()) {
            return new int[] {n.asInt(), n.asInt()};
        }
        int[] v = ints(d, n, key);
        if (v.length == 1) {
            return new int[] {v[0], v[0]};
        }
        if (v.length != 2) {
            throw new KerasImportException(who(d) + ": " + key + " " + n + " is not one or two integers");
        }
        return v;
    }

    /** ZeroPadding2D padding: int p, (h, w), or ((top, bottom), (left, right)). */
    static int[] zeroPadding(LayerDecl d) throws KerasImportException {
        JsonNode n = d.config().get("padding");
        if (n == null || n.isNull()) {
            return new int[] {1, 1, 1, 1};
        }
        if (n.isNumber()) {
            int p = n.asInt();
            return new int[] {p, p, p, p};
        }
        if (n.isArray() && n.size() == 2) {
            if (n.get(0).isNumber() && n.get(1).isNumber()) {
                int h = n.get(0).asInt();
                int w = n.get(1).asInt();
                return new int[] {h, h, w, w};
            }
            if (n.get(0).isArray() && n.get(1).isArray()) {
                int[] hw = ints(d, n.get(0), "padding");
                int[] lr = ints(d, n.get(1), "padding");
                if (hw.length == 2 && lr.length == 2) {
                    return new int[] {hw[0], hw[1], lr[0], lr[1]};
                }
            }
        }
        throw new KerasImportException("layer '" + d.name() + "' (ZeroPadding2D): padding " + n
                + " is not an int, (h, w) or ((top, bottom), (left, right))");
    }

    static int[] ints(LayerDecl d, JsonNode n, String key) throws KerasImportException {
        if (n == null || !n.isArray() || n.size() > 16) {
            throw new KerasImportException(who(d) + ": " + key + " " + n + " is not a list of integers");
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = n.get(i);
            if (e.isNull()) {
                out[i] = -1;
            } else if (e.isNumber() && e.canConvertToInt()) {
                out[i] = e.asInt();
            } else {
                throw new KerasImportException(who(d) + ": " + key + " " + n + " is not a list of integers");
            }
        }
        return out;
    }

    static double number(LayerDecl d, String key, double dflt) throws KerasImportException {
        JsonNode n = d.config().get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isNumber()) {
            throw new KerasImportException(who(d) + ": " + key + " " + n + " is not a number");
        }
        return n.asDouble();
    }

    static int axisOf(LayerDecl d, int dflt) throws KerasImportException {
        JsonNode n = d.config().get("axis");
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (n.isArray()) {
            int[] a = ints(d, n, "axis");
            if (a.length != 1) {
                throw unsupported(d, "it works on several axes " + n + "; only one axis is supported");
            }
            return a[0];
        }
        if (!n.canConvertToInt()) {
            throw new KerasImportException(who(d) + ": axis " + n + " is not an integer");
        }
        return n.asInt();
    }

    static float[] perChannel(LayerDecl d, String key, int ch, double dflt) throws KerasImportException {
        JsonNode n = d.config().get(key);
        float[] out = new float[ch];
        if (n == null || n.isNull()) {
            Arrays.fill(out, (float) dflt);
        } else if (n.isNumber()) {
            Arrays.fill(out, (float) n.asDouble());
        } else if (n.isArray() && (n.size() == ch || n.size() == 1)) {
            for (int i = 0; i < ch; i++) {
                out[i] = (float) n.get(n.size() == 1 ? 0 : i).asDouble();
            }
        } else {
            throw new KerasImportException(who(d) + ": " + key + " " + n
                    + " is neither a number nor one value per channel (" + ch + ")");
        }
        return out;
    }

    /** A Keras activation: a name ("relu"), null/"linear", or a Keras 3 serialized function dict. */
    static ActivationFn activation(LayerDecl d, JsonNode n) throws KerasImportException {
        if (n == null || n.isNull()) {
            return ActivationFn.LINEAR;
        }
        String name;
        if (n.isTextual()) {
            name = n.asText();
        } else if (n.isObject()) {
            JsonNode cfg = n.get("config");
            name = cfg != null && cfg.isTextual() ? cfg.asText() : n.path("class_name").asText("");
        } else {
            throw new KerasImportException(who(d) + ": activation " + n + " is not a name");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.isEmpty() || lower.equals("linear") || lower.equals("none")) {
            return ActivationFn.LINEAR;
        }
        if (lower.equals("leaky_relu")) {
            return ActivationFn.leakyRelu(0.2f); // keras.activations.leaky_relu / tf.nn.leaky_relu default slope
        }
        Matcher leaky = LEAKY.matcher(lower);
        if (leaky.matches()) {
            // the helper functions K210 Studio's training scripts define, e.g. leaky_relu_0_1 = slope 0.1
            try {
                return ActivationFn.leakyRelu(Float.parseFloat(leaky.group(1).replace('_', '.').replace('m', '-')));
            } catch (NumberFormatException e) {
                // not one of ours: fall through to the unsupported-activation message
            }
        }
        try {
            return ActivationFn.of(ActivationFn.Kind.fromKeras(lower));
        } catch (IllegalArgumentException e) {
            throw new KerasImportException(who(d) + " uses activation '" + name
                    + "', which is not supported; use relu, relu6, leaky_relu, sigmoid, hard_sigmoid, tanh, softmax, swish or hard_swish");
        }
    }
}
