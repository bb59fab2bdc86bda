package k210studio.converter.keras;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import k210studio.ir.files.AtomicFiles;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.GraphException;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
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

/**
 * Writes a design as a Keras 2 full-model {@code .h5} (the layout of tf.keras {@code model.save("m.h5")}):
 * a Functional {@code model_config} with one layer per IR layer (names kept) and the design's
 * weights under {@code model_weights/<layer>/<layer>/<variable>:0} with {@code weight_names}.
 * The exported training script can start from it ({@code --init}), and the importer reads it back.
 * Only layers with weights get a weights group (Keras skips the others when loading).
 */
public final class KerasH5Writer {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    static {
        Hdf5Reader.quietLogging();
    }

    private KerasH5Writer() {
    }

    /** Writes the design to {@code file} (through a temporary file, so a failure leaves no half-written model). */
    public static void write(Graph g, Path file) throws KerasExportException, IOException {
        List<GraphException> problems = g.problems();
        if (!problems.isEmpty()) {
            throw new KerasExportException("the design is not a complete network: " + problems.get(0).getMessage());
        }
        Map<String, String> names = uniqueNames(g);
        String config = modelConfig(g, names);
        Map<String, List<Map.Entry<String, Tensor>>> weighted = new java.util.LinkedHashMap<>();
        for (String id : g.topologicalOrder()) {
            List<Map.Entry<String, Tensor>> vars = variables(g.layer(id));
            if (!vars.isEmpty()) {
                weighted.put(names.get(id), vars);
            }
        }
        AtomicFiles.replace(file, tmp -> {
            try (WritableHdfFile f = HdfFile.write(tmp)) {
                f.putAttribute("model_config", config);
                f.putAttribute("keras_version", "2.8.0");
                f.putAttribute("backend", "tensorflow");
                f.putAttribute("written_by", "K210 Studio (Keras 2.8 full-model layout)");
                WritableGroup mw = f.putGroup("model_weights");
                List<String> withWeights = new ArrayList<>();
                for (Map.Entry<String, List<Map.Entry<String, Tensor>>> e : weighted.entrySet()) {
                    String n = e.getKey();
                    List<Map.Entry<String, Tensor>> vars = e.getValue();
                    withWeights.add(n);
                    WritableGroup lg = mw.putGroup(n);
                    WritableGroup inner = lg.putGroup(n);
                    List<String> wn = new ArrayList<>();
                    for (Map.Entry<String, Tensor> v : vars) {
                        inner.putDataset(v.getKey() + ":0", nested(v.getValue()));
                        wn.add(n + "/" + v.getKey() + ":0");
                    }
                    lg.putAttribute("weight_names", wn.toArray(new String[0]));
                }
                if (!withWeights.isEmpty()) {
                    mw.putAttribute("layer_names", withWeights.toArray(new String[0]));
                }
                mw.putAttribute("backend", "tensorflow");
                mw.putAttribute("keras_version", "2.8.0");
            } catch (RuntimeException e) {
                throw new IOException("writing HDF5 failed: " + e.getMessage(), e);
            }
        });
    }

    /**
     * The layer's weights in Keras' variable order; a BatchNormalization whose beta is all zero and
     * that came without center (or gamma all one, without scale) keeps that form.
     */
    static List<Map.Entry<String, Tensor>> variables(Layer l) throws KerasExportException {
        LayerParams p = l.params();
        List<String> keys = new ArrayList<>();
        if (p instanceof Conv2D || p instanceof Conv2DTranspose || p instanceof Dense) {
            keys.add("kernel");
            keys.add("bias");
        } else if (p instanceof DepthwiseConv2D) {
            keys.add("depthwise_kernel");
            keys.add("bias");
        } else if (p instanceof SeparableConv2D) {
            keys.add("depthwise_kernel");
            keys.add("pointwise_kernel");
            keys.add("bias");
        } else if (p instanceof BatchNormalization) {
            if (scale(l)) {
                keys.add("gamma");
            }
            if (center(l)) {
                keys.add("beta");
            }
            keys.add("moving_mean");
            keys.add("moving_variance");
        } else if (p instanceof PReLU) {
            keys.add("alpha");
        }
        boolean bias = !(p instanceof Conv2D c && !c.useBias()) && !(p instanceof DepthwiseConv2D d && !d.useBias())
                && !(p instanceof SeparableConv2D s && !s.useBias()) && !(p instanceof Conv2DTranspose t && !t.useBias())
                && !(p instanceof Dense dn && !dn.useBias());
        List<Map.Entry<String, Tensor>> out = new ArrayList<>();
        for (String k : keys) {
            if (k.equals("bias") && !bias) {
                continue;
            }
            Tensor t = l.weight(k);
            if (t == null) {
                throw new KerasExportException("layer '" + l.name() + "' (" + p.kerasName() + ") has no '" + k
                        + "' weights; give it weights (or run the design once) before writing a Keras model");
            }
            out.add(Map.entry(k, t));
        }
        return out;
    }

    private static boolean center(Layer l) {
        Tensor beta = l.weight("beta");
        return !("false".equals(l.notes().get("keras.center")) && beta != null && allEqual(beta, 0f));
    }

    private static boolean scale(Layer l) {
        Tensor gamma = l.weight("gamma");
        return !("false".equals(l.notes().get("keras.scale")) && gamma != null && allEqual(gamma, 1f));
    }

    private static boolean allEqual(Tensor t, float v) {
        for (float x : t.data()) {
            if (x != v) {
                return false;
            }
        }
        return true;
    }

    /** The Functional model_config JSON of the design. */
    static String modelConfig(Graph g, Map<String, String> names) throws KerasExportException {
        ObjectNode root = F.objectNode();
        root.put("class_name", "Functional");
        ObjectNode cfg = root.putObject("config");
        cfg.put("name", g.name());
        ArrayNode layers = cfg.putArray("layers");
        for (String id : g.topologicalOrder()) {
            Layer l = g.layer(id);
            ObjectNode ln = layers.addObject();
            ln.put("class_name", l.params().kerasName());
            ObjectNode c = layerConfig(l, names.get(id));
            ln.set("config", c);
            ln.put("name", names.get(id));
            ArrayNode nodes = ln.putArray("inbound_nodes");
            List<String> ins = g.inputsOf(id);
            if (!ins.isEmpty()) {
                ArrayNode node = nodes.addArray();
                for (String p : ins) {
                    node.addArray().add(names.get(p)).add(0).add(0).addObject();
                }
            }
        }
        ArrayNode inputs = cfg.putArray("input_layers");
        for (String id : g.inputIds()) {
            inputs.addArray().add(names.get(id)).add(0).add(0);
        }
        ArrayNode outputs = cfg.putArray("output_layers");
        for (String id : g.outputIds()) {
            outputs.addArray().add(names.get(id)).add(0).add(0);
        }
        root.put("keras_version", "2.8.0");
        root.put("backend", "tensorflow");
        try {
            return new ObjectMapper().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode layerConfig(Layer l, String name) throws KerasExportException {
        LayerParams p = l.params();
        ObjectNode c = F.objectNode();
        c.put("name", name);
        c.put("trainable", true);
        c.put("dtype", "float32");
        if (p instanceof Input in) {
            ArrayNode shape = c.putArray("batch_input_shape");
            shape.addNull();
            for (int d : in.shape().dims()) {
                shape.add(d);
            }
            c.put("sparse", false);
            c.put("ragged", false);
        } else if (p instanceof Conv2D x) {
            c.put("filters", x.filters());
            window(c, x.kernelH(), x.kernelW(), x.strideH(), x.strideW(), x.padding().keras(), x.dilationH(), x.dilationW());
            c.put("groups", 1);
            c.put("activation", activation(l, x.activation()));
            c.put("use_bias", x.useBias());
        } else if (p instanceof DepthwiseConv2D x) {
            window(c, x.kernelH(), x.kernelW(), x.strideH(), x.strideW(), x.padding().keras(), x.dilationH(), x.dilationW());
            c.put("depth_multiplier", x.depthMultiplier());
            c.put("activation", activation(l, x.activation()));
            c.put("use_bias", x.useBias());
        } else if (p instanceof SeparableConv2D x) {
            c.put("filters", x.filters());
            window(c, x.kernelH(), x.kernelW(), x.strideH(), x.strideW(), x.padding().keras(), 1, 1);
            c.put("depth_multiplier", x.depthMultiplier());
            c.put("activation", activation(l, x.activation()));
            c.put("use_bias", x.useBias());
        } else if (p instanceof Conv2DTranspose x) {
            c.put("filters", x.filters());
            window(c, x.kernelH(), x.kernelW(), x.strideH(), x.strideW(), x.padding().keras(), 1, 1);
            c.putNull("output_padding");
            c.put("activation", activation(l, x.activation()));
            c.put("use_bias", x.useBias());
        } else if (p instanceof ZeroPadding2D z) {
            ArrayNode pad = c.putArray("padding");
            pad.addArray().add(z.top()).add(z.bottom());
            pad.addArray().add(z.left()).add(z.right());
            c.put("data_format", "channels_last");
        } else if (p instanceof BatchNormalization b) {
            c.put("axis", -1);
            c.put("momentum", 0.99);
            c.put("epsilon", b.epsilon());
            c.put("center", center(l));
            c.put("scale", scale(l));
        } else if (p instanceof Activation a) {
            c.put("activation", activation(l, a.fn()));
        } else if (p instanceof ReLU r) {
            if (r.maxValue() == null) {
                c.putNull("max_value");
            } else {
                c.put("max_value", r.maxValue());
            }
            c.put("negative_slope", r.negativeSlope());
            c.put("threshold", r.threshold());
        } else if (p instanceof LeakyReLU r) {
            c.put("alpha", r.alpha());
        } else if (p instanceof PReLU) {
            Tensor alpha = l.weight("alpha");
            ArrayNode shared = c.putArray("shared_axes");
            if (alpha != null) {
                for (int i = 0; i < alpha.rank(); i++) {
                    if (alpha.dim(i) == 1) {
                        shared.add(i + 1);
                    }
                }
            }
            if (shared.isEmpty()) {
                c.putNull("shared_axes");
            }
        } else if (p instanceof MaxPooling2D m) {
            pool(c, m.poolH(), m.poolW(), m.strideH(), m.strideW(), m.padding().keras());
        } else if (p instanceof AveragePooling2D m) {
            pool(c, m.poolH(), m.poolW(), m.strideH(), m.strideW(), m.padding().keras());
        } else if (p instanceof GlobalAveragePooling2D gp) {
            c.put("data_format", "channels_last");
            c.put("keepdims", gp.keepDims());
        } else if (p instanceof GlobalMaxPooling2D gp) {
            c.put("data_format", "channels_last");
            c.put("keepdims", gp.keepDims());
        } else if (p instanceof Dense d) {
            c.put("units", d.units());
            c.put("activation", activation(l, d.activation()));
            c.put("use_bias", d.useBias());
        } else if (p instanceof Flatten) {
            c.put("data_format", "channels_last");
        } else if (p instanceof Reshape r) {
            if (r.dynamic()) {
                throw new KerasExportException("layer '" + l.name() + "' is a run-time (dynamic) Reshape; give it a fixed target shape first");
            }
            ArrayNode t = c.putArray("target_shape");
            for (int d : r.targetShape().dims()) {
                t.add(d);
            }
        } else if (p instanceof Dropout d) {
            c.put("rate", d.rate());
        } else if (p instanceof Concatenate x) {
            c.put("axis", x.axis());
        } else if (p instanceof Softmax s) {
            c.put("axis", s.axis());
        } else if (p instanceof UpSampling2D u) {
            pair(c, "size", u.sizeH(), u.sizeW());
            c.put("data_format", "channels_last");
            c.put("interpolation", u.interpolation().name().toLowerCase(Locale.ROOT));
        } else if (p instanceof Resizing r) {
            c.put("height", r.height());
            c.put("width", r.width());
            c.put("interpolation", r.interpolation().name().toLowerCase(Locale.ROOT));
            c.put("crop_to_aspect_ratio", false);
        } else if (!(p instanceof Add || p instanceof Subtract || p instanceof Multiply)) {
            throw new KerasExportException("layer '" + l.name() + "' (" + p.kerasName() + ") has no Keras form in this writer yet");
        }
        return c;
    }

    /** Keras activation names; slopes other than tf.nn.leaky_relu's 0.2 use the training script's helper names. */
    private static String activation(Layer l, ActivationFn fn) {
        if (fn.kind() == ActivationFn.Kind.LEAKY_RELU) {
            return fn.alpha() == 0.2f ? "leaky_relu"
                    : "leaky_relu_" + PythonLiterals.pyFloat(fn.alpha()).replace('.', '_').replace('-', 'm');
        }
        return fn.kind().keras();
    }

    private static void pool(ObjectNode c, int ph, int pw, int sh, int sw, String padding) {
        pair(c, "pool_size", ph, pw);
        pair(c, "strides", sh, sw);
        c.put("padding", padding);
        c.put("data_format", "channels_last");
    }

    private static void pair(ObjectNode c, String key, int a, int b) {
        c.putArray(key).add(a).add(b);
    }

    /** kernel_size, strides, padding, data_format and dilation_rate of a convolution, in Keras' key order. */
    private static void window(ObjectNode c, int kh, int kw, int sh, int sw, String padding, int dh, int dw) {
        pair(c, "kernel_size", kh, kw);
        pair(c, "strides", sh, sw);
        c.put("padding", padding);
        c.put("data_format", "channels_last");
        pair(c, "dilation_rate", dh, dw);
    }

    /** Layer names made unique and safe for HDF5 group names (no '/'). */
    static Map<String, String> uniqueNames(Graph g) {
        Map<String, String> out = new HashMap<>();
        Set<String> used = new HashSet<>();
        for (String id : g.topologicalOrder()) {
            String base = KerasNames.safe(g.layer(id).name());
            if (base.isEmpty() || base.equals(".") || base.equals("..")) {
                base = "layer";
            }
            out.put(id, KerasNames.unique(base, used));
        }
        return out;
    }

    private static Object nested(Tensor t) {
        return nested(t.shape(), t.data());
    }

    /** A row-major float array as the nested Java array jhdf writes (rank 0..4). */
    static Object nested(int[] shape, float[] data) {
        switch (shape.length) {
            case 0: return data[0];
            case 1: return data.clone();
            case 2: {
                float[][] a = new float[shape[0]][shape[1]];
                for (int i = 0; i < shape[0]; i++) {
                    System.arraycopy(data, i * shape[1], a[i], 0, shape[1]);
                }
                return a;
            }
            case 3: {
                float[][][] a = new float[shape[0]][shape[1]][shape[2]];
                int k = 0;
                for (float[][] x : a) {
                    for (float[] y : x) {
                        System.arraycopy(data, k, y, 0, y.length);
                        k += y.length;
                    }
                }
                return a;
            }
            case 4: {
                float[][][][] a = new float[shape[0]][shape[1]][shape[2]][shape[3]];
                int k = 0;
                for (float[][][] x : a) {
                    for (float[][] y : x) {
                        for (float[] z : y) {
                            System.arraycopy(data, k, z, 0, z.length);
                            k += z.length;
                        }
                    }
                }
                return a;
            }
            default: throw new IllegalArgumentException("weights of rank " + shape.length + " " + java.util.Arrays.toString(shape)
                    + " cannot be written");
        }
    }
}
