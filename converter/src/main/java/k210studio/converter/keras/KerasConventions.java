package k210studio.converter.keras;

import java.util.List;
import java.util.Locale;
import k210studio.converter.importing.ModelConventions;
import k210studio.converter.importing.PreprocessingPreset;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/**
 * What a Keras model says about its input: a {@code Rescaling} or {@code Normalization} layer right after the
 * input means the scaling is part of the network, so the model takes raw 0..255 pixels. Without one the file does
 * not say (Keras keeps {@code preprocess_input} outside the model), and the studio asks.
 */
final class KerasConventions {
    private KerasConventions() {
    }

    static ModelConventions of(Graph g) {
        int classes = 0;
        try {
            if (!g.outputIds().isEmpty()) {
                TensorShape out = ShapeInference.infer(g).shapes().get(g.outputIds().get(0));
                classes = out != null && out.rank() == 1 ? out.dims()[0] : 0;
            }
        } catch (RuntimeException e) {
            classes = 0;
        }
        if (g.inputIds().size() != 1) {
            return ModelConventions.unknown(classes);
        }
        List<String> next = g.consumersOf(g.inputIds().get(0));
        if (next.size() == 1) {
            Layer l = g.layer(next.get(0));
            String cls = l.notes().get("keras.class");
            if (l.params() instanceof BatchNormalization && cls != null && KerasPreprocessingLayers.handles(cls)) {
                String source = "the model's first layer, Keras " + cls + " '" + l.name() + "' (" + affine(l)
                        + "), scales the input itself: it takes raw 0..255 pixels";
                return new ModelConventions(PreprocessingPreset.RAW.preprocessing(), source, List.of(), null, classes, List.of());
            }
        }
        return ModelConventions.unknown(classes);
    }

    /** "x·0.003922 + 0" for channel 0 of the BatchNormalization equivalent (epsilon 0). */
    private static String affine(Layer l) {
        Tensor gamma = l.weights().get("gamma");
        Tensor beta = l.weights().get("beta");
        Tensor mean = l.weights().get("moving_mean");
        Tensor var = l.weights().get("moving_variance");
        if (gamma == null || beta == null || mean == null || var == null || gamma.data().length == 0) {
            return "per channel";
        }
        double scale = gamma.data()[0] / Math.sqrt(var.data()[0]);
        double offset = beta.data()[0] - mean.data()[0] * scale;
        return String.format(Locale.ROOT, "x·%.6g %s %.6g%s", scale, offset < 0 ? "−" : "+", Math.abs(offset),
                gamma.data().length > 1 ? " for channel 0" : "");
    }
}
