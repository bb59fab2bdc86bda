package k210studio.converter.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import k210studio.converter.keras.KerasModelConfig.LayerDecl;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/**
 * Keras' input preprocessing layers, imported as the BatchNormalization that computes the same per-channel
 * affine map (epsilon 0, so exact): {@code Rescaling(scale, offset)} is y = x·scale + offset (gamma = scale,
 * beta = offset, mean 0, variance 1); {@code Normalization(mean, variance)} over the last axis is
 * y = (x − mean) / √variance (mean and variance from the config, or the adapted {@code mean}/{@code variance}
 * weights; gamma 1, beta 0). {@code invert=True} and other axes are refused.
 */
final class KerasPreprocessingLayers {
    static final String RESCALING = "Rescaling";
    static final String NORMALIZATION = "Normalization";
    private static final String COUNT = "count";

    private KerasPreprocessingLayers() {
    }

    static boolean handles(String cls) {
        return cls.equals(RESCALING) || cls.equals(NORMALIZATION);
    }

    static BatchNormalization params(LayerDecl d) throws KerasImportException {
        if (d.className().equals(NORMALIZATION)) {
            JsonNode c = d.config();
            if (c.path("invert").asBoolean(false)) {
                throw new KerasImportException("layer '" + d.name() + "' (Normalization) with invert=True undoes a normalization; "
                        + "only the forward normalization is supported");
            }
            JsonNode axis = c.get("axis");
            boolean last = axis == null || axis.isNull() || (axis.isInt() && axis.asInt() == -1)
                    || (axis.isArray() && axis.size() == 1 && axis.get(0).asInt() == -1);
            if (!last) {
                throw new KerasImportException("layer '" + d.name() + "' (Normalization) normalizes over axis " + axis
                        + "; only the channel axis (-1) is supported");
            }
        }
        return new BatchNormalization(0f);
    }

    /** Adapted Normalization layers own mean, variance and a sample count (not needed here); given ones own nothing. */
    static List<KerasVariable> variables(LayerDecl d) {
        if (d.className().equals(NORMALIZATION) && !given(d)) {
            return List.of(new KerasVariable("mean", false), new KerasVariable("variance", false), new KerasVariable(COUNT, false));
        }
        return List.of();
    }

    /** The shape of an adapted Normalization's variable: one value per channel, the count a scalar. */
    static int[] shape(String key, int channels) {
        return key.equals(COUNT) ? new int[0] : new int[] {channels};
    }

    private static boolean given(LayerDecl d) {
        JsonNode m = d.config().get("mean");
        return m != null && !m.isNull();
    }

    /** The IR BatchNormalization weights of the layer. */
    static void irWeights(LayerDecl d, Map<String, Tensor> w, TensorShape in) throws KerasImportException {
        int ch = in.c();
        float[] ones = new float[ch];
        Arrays.fill(ones, 1f);
        if (d.className().equals(RESCALING)) {
            w.put("gamma", new Tensor(new int[] {ch}, KerasLayerConfig.perChannel(d, "scale", ch, 1.0)));
            w.put("beta", new Tensor(new int[] {ch}, KerasLayerConfig.perChannel(d, "offset", ch, 0.0)));
            w.put("moving_mean", Tensor.zeros(ch));
            w.put("moving_variance", new Tensor(new int[] {ch}, ones));
            return;
        }
        float[] mean;
        float[] variance;
        if (given(d)) {
            mean = KerasLayerConfig.perChannel(d, "mean", ch, 0.0);
            variance = KerasLayerConfig.perChannel(d, "variance", ch, 1.0);
        } else {
            w.remove(COUNT);
            mean = flatPerChannel(d, w.remove("mean"), "mean", ch);
            variance = flatPerChannel(d, w.remove("variance"), "variance", ch);
        }
        for (int i = 0; i < ch; i++) {
            // Keras divides by max(√variance, 1e-7)
            variance[i] = Math.max(variance[i], 1e-14f);
        }
        w.put("gamma", new Tensor(new int[] {ch}, ones));
        w.put("beta", Tensor.zeros(ch));
        w.put("moving_mean", new Tensor(new int[] {ch}, mean));
        w.put("moving_variance", new Tensor(new int[] {ch}, variance));
    }

    static String conversionNote(LayerDecl d) {
        return d.className() + " imported as an equivalent BatchNormalization (epsilon 0); the studio reads it as the "
                + "model's input preprocessing when it comes first";
    }

    private static float[] flatPerChannel(LayerDecl d, Tensor t, String key, int ch) throws KerasImportException {
        if (t == null || (t.data().length != ch && t.data().length != 1)) {
            throw new KerasImportException("layer '" + d.name() + "' (Normalization): the adapted " + key + " has "
                    + (t == null ? "no" : t.data().length) + " values for " + ch + " channels");
        }
        float[] out = new float[ch];
        for (int i = 0; i < ch; i++) {
            out[i] = t.data()[t.data().length == 1 ? 0 : i];
        }
        return out;
    }
}
