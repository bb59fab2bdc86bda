package k210studio.converter.keras;

import static k210studio.converter.keras.KerasLayerConfig.activation;
import static k210studio.converter.keras.KerasLayerConfig.axisOf;
import static k210studio.converter.keras.KerasLayerConfig.dataFormat;
import static k210studio.converter.keras.KerasLayerConfig.inputShape;
import static k210studio.converter.keras.KerasLayerConfig.ints;
import static k210studio.converter.keras.KerasLayerConfig.number;
import static k210studio.converter.keras.KerasLayerConfig.padding;
import static k210studio.converter.keras.KerasLayerConfig.pair;
import static k210studio.converter.keras.KerasLayerConfig.perChannel;
import static k210studio.converter.keras.KerasLayerConfig.unsupported;
import static k210studio.converter.keras.KerasLayerConfig.who;
import static k210studio.converter.keras.KerasLayerConfig.zeroPadding;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import k210studio.converter.keras.KerasModelConfig.LayerDecl;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.Add;
import k210studio.ir.layer.AveragePooling2D;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.layer.Concatenate;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Conv2DTranspose;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Dropout;
import k210studio.ir.layer.Flatten;
import k210studio.ir.layer.GlobalAveragePooling2D;
import k210studio.ir.layer.GlobalMaxPooling2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Interpolation;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.LeakyReLU;
import k210studio.ir.layer.MaxPooling2D;
import k210studio.ir.layer.Multiply;
import k210studio.ir.layer.PReLU;
import k210studio.ir.layer.ReLU;
import k210studio.ir.layer.Reshape;
import k210studio.ir.layer.Resizing;
import k210studio.ir.layer.SeparableConv2D;
import k210studio.ir.layer.Softmax;
import k210studio.ir.layer.Subtract;
import k210studio.ir.layer.UpSampling2D;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/**
 * Maps one Keras layer (class name + config) to the IR layer catalog: its parameters, the
 * weight variables it owns (in Keras' order), the shapes those weights must have, and the IR
 * weights built from what the file holds. Unknown layers (Lambda, custom classes, TFOpLambda,
 * ...) are refused with the layer's name and class.
 */
final class KerasLayerMapper {
    private static final Set<String> IGNORED_AT_INFERENCE = Set.of("Dropout", "SpatialDropout1D", "SpatialDropout2D",
            "SpatialDropout3D", "GaussianDropout", "GaussianNoise", "AlphaDropout", "ActivityRegularization");

    private KerasLayerMapper() {
    }

    /** The canonical class for Keras 1/2 aliases ("Convolution2D" → "Conv2D", "MaxPool2D" → "MaxPooling2D", ...). */
    static String canonical(String cls) {
        switch (cls) {
            case "Convolution2D": return "Conv2D";
            case "SeparableConvolution2D": return "SeparableConv2D";
            case "Deconvolution2D": case "Convolution2DTranspose": return "Conv2DTranspose";
            case "MaxPool2D": return "MaxPooling2D";
            case "AvgPool2D": return "AveragePooling2D";
            case "GlobalAvgPool2D": return "GlobalAveragePooling2D";
            case "GlobalMaxPool2D": return "GlobalMaxPooling2D";
            case "BatchNormalizationV1": case "BatchNormalizationV2": case "SyncBatchNormalization": return "BatchNormalization";
            default: return cls;
        }
    }

    /** The IR parameters of a layer. Input shapes are not needed except for Rescaling (mapped after shape inference). */
    static LayerParams params(LayerDecl d) throws KerasImportException {
        String cls = canonical(d.className());
        JsonNode c = d.config();
        try {
            switch (cls) {
                case "InputLayer": return new Input(inputShape(d));
                case "Conv2D": {
                    dataFormat(d);
                    int groups = c.path("groups").asInt(1);
                    if (groups != 1) {
                        throw unsupported(d, "grouped convolution (groups=" + groups + ") is not in the K210 layer set; use groups=1 or a DepthwiseConv2D");
                    }
                    int[] k = pair(d, "kernel_size", null);
                    int[] s = pair(d, "strides", new int[] {1, 1});
                    int[] dil = pair(d, "dilation_rate", new int[] {1, 1});
                    return new Conv2D(c.path("filters").asInt(0), k[0], k[1], s[0], s[1], padding(d), dil[0], dil[1],
                            c.path("use_bias").asBoolean(true), activation(d, c.get("activation")));
                }
                case "DepthwiseConv2D": {
                    dataFormat(d);
                    int[] k = pair(d, "kernel_size", null);
                    int[] s = pair(d, "strides", new int[] {1, 1});
                    int[] dil = pair(d, "dilation_rate", new int[] {1, 1});
                    return new DepthwiseConv2D(k[0], k[1], s[0], s[1], padding(d), c.path("depth_multiplier").asInt(1),
                            dil[0], dil[1], c.path("use_bias").asBoolean(true), activation(d, c.get("activation")));
                }
                case "SeparableConv2D": {
                    dataFormat(d);
                    int[] k = pair(d, "kernel_size", null);
                    int[] s = pair(d, "strides", new int[] {1, 1});
                    int[] dil = pair(d, "dilation_rate", new int[] {1, 1});
                    if (dil[0] != 1 || dil[1] != 1) {
                        throw unsupported(d, "a dilated SeparableConv2D is not supported; use dilation_rate=1");
                    }
                    return new SeparableConv2D(c.path("filters").asInt(0), k[0], k[1], s[0], s[1], padding(d),
                            c.path("depth_multiplier").asInt(1), c.path("use_bias").asBoolean(true), activation(d, c.get("activation")));
                }
                case "Conv2DTranspose": {
                    dataFormat(d);
                    int[] k = pair(d, "kernel_size", null);
                    int[] s = pair(d, "strides", new int[] {1, 1});
                    int[] dil = pair(d, "dilation_rate", new int[] {1, 1});
                    if (dil[0] != 1 || dil[1] != 1) {
                        throw unsupported(d, "a dilated Conv2DTranspose is not supported; use dilation_rate=1");
                    }
                    JsonNode op = c.get("output_padding");
                    if (op != null && !op.isNull()) {
                        throw unsupported(d, "Conv2DTranspose with output_padding is not supported; leave output_padding=None");
                    }
                    return new Conv2DTranspose(c.path("filters").asInt(0), k[0], k[1], s[0], s[1], padding(d),
                            c.path("use_bias").asBoolean(true), activation(d, c.get("activation")));
                }
                case "ZeroPadding2D": {
                    dataFormat(d);
                    int[] p = zeroPadding(d);
                    return new ZeroPadding2D(p[0], p[1], p[2], p[3]);
                }
                case "BatchNormalization": {
                    if (c.path("renorm").asBoolean(false)) {
                        throw unsupported(d, "BatchNormalization with renorm=True is not supported");
                    }
                    return new BatchNormalization((float) number(d, "epsilon", 1e-3));
                }
                case "Rescaling":
                    // y = x·scale + offset, as a BatchNormalization with mean 0, variance 1, epsilon 0 (exact)
                    return new BatchNormalization(0f);
                case "Activation":
                    return new Activation(activation(d, c.get("activation")));
                case "ReLU": {
                    JsonNode mv = c.get("max_value");
                    Float max = mv == null || mv.isNull() ? null : (float) mv.asDouble();
                    return new ReLU(max, (float) number(d, "negative_slope", 0), (float) number(d, "threshold", 0));
                }
                case "LeakyReLU":
                    return new LeakyReLU((float) (c.has("negative_slope") ? number(d, "negative_slope", 0.3) : number(d, "alpha", 0.3)));
                case "PReLU":
                    return new PReLU();
                case "Softmax":
                    return new Softmax(axisOf(d, -1));
                case "MaxPooling2D": {
                    dataFormat(d);
                    int[] p = pair(d, "pool_size", new int[] {2, 2});
                    int[] s = pair(d, "strides", p);
                    return new MaxPooling2D(p[0], p[1], s[0], s[1], padding(d));
                }
                case "AveragePooling2D": {
                    dataFormat(d);
                    int[] p = pair(d, "pool_size", new int[] {2, 2});
                    int[] s = pair(d, "strides", p);
                    return new AveragePooling2D(p[0], p[1], s[0], s[1], padding(d));
                }
                case "GlobalAveragePooling2D":
                    dataFormat(d);
                    return new GlobalAveragePooling2D(c.path("keepdims").asBoolean(false));
                case "GlobalMaxPooling2D":
                    dataFormat(d);
                    return new GlobalMaxPooling2D(c.path("keepdims").asBoolean(false));
                case "Dense":
                    return new Dense(c.path("units").asInt(0), c.path("use_bias").asBoolean(true), activation(d, c.get("activation")));
                case "Flatten":
                    dataFormat(d);
                    return new Flatten();
                case "Reshape":
                    return new Reshape(new TensorShape(ints(d, c.get("target_shape"), "target_shape")), false);
                case "Add": return new Add();
                case "Subtract": return new Subtract();
                case "Multiply": return new Multiply();
                case "Concatenate": return new Concatenate(axisOf(d, -1));
                case "UpSampling2D": {
                    dataFormat(d);
                    int[] s = pair(d, "size", new int[] {2, 2});
                    String interp = c.path("interpolation").asText("nearest").toLowerCase(Locale.ROOT);
                    Interpolation i;
                    if (interp.equals("nearest")) {
                        i = Interpolation.NEAREST;
                    } else if (interp.equals("bilinear")) {
                        i = Interpolation.BILINEAR;
                    } else {
                        throw unsupported(d, "UpSampling2D interpolation '" + interp + "' is not supported; use 'nearest' or 'bilinear'");
                    }
                    return new UpSampling2D(s[0], s[1], i);
                }
                case "Resizing": {
                    if (c.path("crop_to_aspect_ratio").asBoolean(false) || c.path("pad_to_aspect_ratio").asBoolean(false)) {
                        throw unsupported(d, "Resizing with crop_to_aspect_ratio/pad_to_aspect_ratio is not supported; resize without them");
                    }
                    String interp = c.path("interpolation").asText("bilinear").toLowerCase(Locale.ROOT);
                    Interpolation i;
                    if (interp.equals("bilinear")) {
                        i = Interpolation.BILINEAR;
                    } else if (interp.equals("nearest")) {
                        i = Interpolation.NEAREST;
                    } else {
                        throw unsupported(d, "Resizing interpolation '" + interp + "' is not supported; use 'bilinear' or 'nearest'");
                    }
                    // keras.layers.Resizing uses tf.image.resize: half-pixel centres, no corner alignment
                    return new Resizing(c.path("height").asInt(0), c.path("width").asInt(0), i, false, true);
                }
                default:
                    if (IGNORED_AT_INFERENCE.contains(cls)) {
                        double rate = c.path("rate").asDouble(0);
                        return new Dropout((float) Math.max(0, Math.min(rate, 0.999)));
                    }
                    throw unknownLayer(d);
            }
        } catch (IllegalArgumentException e) {
            throw new KerasImportException(who(d) + " has an invalid configuration: "
                    + e.getMessage(), e);
        }
    }

    /** A note for the user when the IR layer is not the same class as the Keras one, else null. */
    static String conversionNote(LayerDecl d) {
        String cls = canonical(d.className());
        if (cls.equals("Rescaling")) {
            return "Rescaling(scale, offset) imported as an equivalent BatchNormalization (mean 0, variance 1, epsilon 0); "
                    + "consider moving the scaling into the input preprocessing (mean/std) instead";
        }
        if (IGNORED_AT_INFERENCE.contains(cls) && !cls.equals("Dropout")) {
            return cls + " does nothing at inference; imported as a Dropout";
        }
        return null;
    }

    private static KerasImportException unknownLayer(LayerDecl d) {
        String cls = d.className();
        String why;
        if (cls.equals("Lambda")) {
            why = "a Lambda layer runs arbitrary Python code that cannot be read from the file; rewrite it with standard Keras layers";
        } else if (cls.startsWith("TFOpLambda") || cls.equals("SlicingOpLambda")) {
            why = "it is a raw TensorFlow op (" + d.config().path("function").asText("?")
                    + ") called on a Keras tensor; use the equivalent Keras layer (e.g. layers.ReLU(6.) instead of tf.nn.relu6)";
        } else {
            why = "this class is not in the K210 layer set (a custom or unsupported layer); replace it with supported layers "
                    + "(Conv2D, DepthwiseConv2D, BatchNormalization, ReLU, pooling, Dense, ...)";
        }
        return new KerasImportException("layer '" + d.name() + "' (" + cls + ") cannot be imported: " + why);
    }


    /** The weight variables a layer owns, in Keras' declaration order (trainable first). */
    static List<KerasVariable> variables(LayerDecl d) {
        String cls = canonical(d.className());
        JsonNode c = d.config();
        boolean bias = c.path("use_bias").asBoolean(true);
        List<KerasVariable> v = new ArrayList<>();
        switch (cls) {
            case "Conv2D": case "Conv2DTranspose": case "Dense":
                v.add(new KerasVariable("kernel", true));
                if (bias) {
                    v.add(new KerasVariable("bias", true));
                }
                break;
            case "DepthwiseConv2D":
                v.add(new KerasVariable("depthwise_kernel", true));
                if (bias) {
                    v.add(new KerasVariable("bias", true));
                }
                break;
            case "SeparableConv2D":
                v.add(new KerasVariable("depthwise_kernel", true));
                v.add(new KerasVariable("pointwise_kernel", true));
                if (bias) {
                    v.add(new KerasVariable("bias", true));
                }
                break;
            case "BatchNormalization":
                if (c.path("scale").asBoolean(true)) {
                    v.add(new KerasVariable("gamma", true));
                }
                if (c.path("center").asBoolean(true)) {
                    v.add(new KerasVariable("beta", true));
                }
                v.add(new KerasVariable("moving_mean", false));
                v.add(new KerasVariable("moving_variance", false));
                break;
            case "PReLU":
                v.add(new KerasVariable("alpha", true));
                break;
            default:
                break;
        }
        return v;
    }

    /** The shape a weight variable must have, given the layer's parameters and input shape. */
    static int[] expectedShape(LayerDecl d, LayerParams p, String key, TensorShape in) throws KerasImportException {
        int inC = in.c();
        if (p instanceof Conv2D c) {
            return key.equals("kernel") ? new int[] {c.kernelH(), c.kernelW(), inC, c.filters()} : new int[] {c.filters()};
        }
        if (p instanceof DepthwiseConv2D c) {
            return key.equals("bias") ? new int[] {inC * c.depthMultiplier()} : new int[] {c.kernelH(), c.kernelW(), inC, c.depthMultiplier()};
        }
        if (p instanceof SeparableConv2D c) {
            switch (key) {
                case "depthwise_kernel": return new int[] {c.kernelH(), c.kernelW(), inC, c.depthMultiplier()};
                case "pointwise_kernel": return new int[] {1, 1, inC * c.depthMultiplier(), c.filters()};
                default: return new int[] {c.filters()};
            }
        }
        if (p instanceof Conv2DTranspose c) {
            return key.equals("kernel") ? new int[] {c.kernelH(), c.kernelW(), c.filters(), inC} : new int[] {c.filters()};
        }
        if (p instanceof Dense dn) {
            return key.equals("kernel") ? new int[] {inC, dn.units()} : new int[] {dn.units()};
        }
        if (p instanceof BatchNormalization) {
            return new int[] {inC};
        }
        if (p instanceof PReLU) {
            int[] dims = in.dims();
            JsonNode shared = d.config().get("shared_axes");
            if (shared != null && !shared.isNull()) {
                for (int a : ints(d, shared, "shared_axes")) {
                    if (a < 1 || a > dims.length) {
                        throw new KerasImportException("layer '" + d.name() + "' (PReLU) shares axis " + a + ", outside its input " + in);
                    }
                    dims[a - 1] = 1;
                }
            }
            return dims;
        }
        throw new KerasImportException(who(d) + " has no weight '" + key + "'");
    }

    /**
     * The IR weights of a layer from the variables the file holds ({@code values} aligned with
     * {@link #variables}); BatchNormalization without scale/center gets gamma 1 / beta 0, Rescaling
     * gets its BatchNormalization equivalent.
     */
    static Map<String, Tensor> irWeights(LayerDecl d, List<KerasVariable> vars, List<Tensor> values, TensorShape in)
            throws KerasImportException {
        Map<String, Tensor> w = new LinkedHashMap<>();
        String cls = canonical(d.className());
        for (int i = 0; i < vars.size(); i++) {
            w.put(vars.get(i).key(), values.get(i));
        }
        if (cls.equals("BatchNormalization")) {
            int ch = in.c();
            float[] ones = new float[ch];
            Arrays.fill(ones, 1f);
            Map<String, Tensor> ordered = new LinkedHashMap<>();
            ordered.put("gamma", w.containsKey("gamma") ? w.get("gamma") : new Tensor(new int[] {ch}, ones));
            ordered.put("beta", w.containsKey("beta") ? w.get("beta") : Tensor.zeros(ch));
            ordered.put("moving_mean", w.get("moving_mean"));
            ordered.put("moving_variance", w.get("moving_variance"));
            return ordered;
        }
        if (cls.equals("Rescaling")) {
            int ch = in.c();
            float[] scale = perChannel(d, "scale", ch, 1.0);
            float[] offset = perChannel(d, "offset", ch, 0.0);
            float[] ones = new float[ch];
            Arrays.fill(ones, 1f);
            w.put("gamma", new Tensor(new int[] {ch}, scale));
            w.put("beta", new Tensor(new int[] {ch}, offset));
            w.put("moving_mean", Tensor.zeros(ch));
            w.put("moving_variance", new Tensor(new int[] {ch}, ones));
        }
        return w;
    }

    /** Notes kept on the IR layer so that an export can write the layer back as it was. */
    static Map<String, String> layerNotes(LayerDecl d) {
        Map<String, String> notes = new LinkedHashMap<>();
        String cls = canonical(d.className());
        if (!cls.equals(d.className()) || cls.equals("Rescaling") || (IGNORED_AT_INFERENCE.contains(cls) && !cls.equals("Dropout"))) {
            notes.put("keras.class", d.className());
        }
        if (cls.equals("BatchNormalization")) {
            if (!d.config().path("center").asBoolean(true)) {
                notes.put("keras.center", "false");
            }
            if (!d.config().path("scale").asBoolean(true)) {
                notes.put("keras.scale", "false");
            }
        }
        if (cls.equals("PReLU")) {
            JsonNode shared = d.config().get("shared_axes");
            if (shared != null && shared.isArray()) {
                notes.put("keras.shared_axes", shared.toString());
            }
        }
        return notes;
    }

    /** Checks that need the input shape: BatchNormalization on the channel axis only. */
    static void checkWithInputShape(LayerDecl d, TensorShape in) throws KerasImportException {
        String cls = canonical(d.className());
        if (cls.equals("BatchNormalization")) {
            JsonNode axis = d.config().get("axis");
            if (axis != null && !axis.isNull()) {
                int[] axes = axis.isArray() ? ints(d, axis, "axis") : new int[] {axis.asInt(-1)};
                int rank = in.rank() + 1;
                boolean ok = axes.length == 1 && (axes[0] == -1 || axes[0] == rank - 1);
                if (!ok) {
                    throw unsupported(d, "it normalizes axis " + axis + " of a rank-" + rank
                            + " tensor; only the last (channel) axis is supported (channels_last)");
                }
            }
        }
    }
}
